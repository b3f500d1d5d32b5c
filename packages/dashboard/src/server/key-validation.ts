import type { NgcClient } from '@odh-nim/ngc';

import type { ValidateKeyResponse } from '../api/types.js';
import { DashboardError } from './errors.js';

/** The slice of the NGC client the backend uses (tests pass a stub or the emulator's client). */
export type KeyValidator = Pick<NgcClient, 'validateKey'>;

/** Validation outcome when the administrator turned it off (`disableKeyValidation`). */
export const SKIPPED_VALIDATION: ValidateKeyResponse = {
  valid: true,
  kind: 'skipped',
  message: 'Key validation is disabled by the administrator; the key was not checked with NGC.',
};

/**
 * Checks a key with NGC's `get-caller-info` and phrases the outcome for people. Never throws for
 * a bad key or an unreachable NGC: those are outcomes. Messages never quote the key.
 */
export async function checkKey(
  ngc: KeyValidator,
  key: string,
  options: { signal?: AbortSignal } = {},
): Promise<ValidateKeyResponse> {
  const result = await ngc.validateKey(key, options.signal ? { signal: options.signal } : {});
  switch (result.kind) {
    case 'valid':
      return { valid: true, kind: 'valid', message: 'NGC accepted the key.' };
    case 'not-personal':
      return {
        valid: false,
        kind: 'legacy',
        message: result.message,
        ...(result.suggestion ? { suggestion: result.suggestion } : {}),
      };
    case 'invalid':
      return {
        valid: false,
        kind: 'invalid',
        message: result.message,
        suggestion:
          'Create a new personal key at ngc.nvidia.com (Setup > Personal Keys) and paste it whole.',
      };
    case 'unreachable':
      return {
        valid: false,
        kind: 'unreachable',
        message: `NVIDIA NGC could not be reached to validate the key: ${result.message}`,
        suggestion:
          'Retry in a moment. On a disconnected cluster, ask your administrator to set spec.nimConfig.disableKeyValidation.',
      };
    case 'failed':
      return {
        valid: false,
        kind: 'failed',
        message: `NVIDIA NGC gave an unexpected answer while validating the key: ${result.message}`,
        suggestion: 'Check the NGC base URL the dashboard is configured with.',
      };
  }
}

/** The error to answer with for a key that did not validate, or `undefined` when it did. */
export function keyErrorOf(
  result: ValidateKeyResponse,
  field = 'apiKey',
): DashboardError | undefined {
  if (result.valid) return undefined;
  const issues = [{ field, message: result.message }];
  switch (result.kind) {
    case 'legacy':
      return new DashboardError('legacy-key', result.message, { status: 400, issues });
    case 'invalid':
      return new DashboardError('invalid-key', result.message, { status: 400, issues });
    default:
      return new DashboardError('ngc-unreachable', result.message, { status: 502, field });
  }
}
