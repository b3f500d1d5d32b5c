import { describe, expect, it } from 'vitest';

import type { ValidateKeyResponse } from '../../api/types.js';
import { buildInitialSettings, type DeploymentSettings } from './form.js';
import { mockModel } from './test-models.js';
import { evaluateKeyStep, isSettingsValid, validateDeploymentSettings } from './validation.js';

const valid = buildInitialSettings(mockModel());
const check = (settings: Partial<DeploymentSettings>) =>
  validateDeploymentSettings({ ...valid, ...settings });

describe('validateDeploymentSettings', () => {
  it('accepts the defaults', () => {
    expect(validateDeploymentSettings(valid)).toEqual({});
    expect(isSettingsValid(validateDeploymentSettings(valid))).toBe(true);
  });

  it('requires a display name and a valid Kubernetes name', () => {
    expect(check({ displayName: ' ' }).displayName).toBe('Deployment name is required.');
    expect(check({ name: '' }).name).toBe('Resource name must not be empty.');
    expect(check({ name: 'Bad_Name' }).name).toMatch(/^Resource name must consist of lower case/);
    expect(check({ name: 'a'.repeat(46) }).name).toMatch(/at most 45 characters/);
    expect(check({ name: '1abc' }).name).toBe('Resource name must start with a lower case letter.');
  });

  it('rejects a name already used in the project', () => {
    const errors = validateDeploymentSettings(valid, { existingNames: [valid.name] });
    expect(errors.name).toBe(
      `A NIM deployment named "${valid.name}" already exists in this project.`,
    );
  });

  it('checks replicas and GPUs are whole numbers within bounds', () => {
    expect(check({ replicas: 'two' }).replicas).toBe('Replicas must be a whole number.');
    expect(check({ replicas: '0' }).replicas).toBe('Replicas must be between 1 and 50.');
    expect(check({ replicas: '51' }).replicas).toBe('Replicas must be between 1 and 50.');
    expect(check({ gpus: '1.5' }).gpus).toBe('GPUs must be a whole number.');
    expect(check({ gpus: '17' }).gpus).toBe('GPUs must be at most 16.');
    expect(check({ gpus: '0' })).toEqual({});
  });

  it('checks quantities and request ≤ limit', () => {
    expect(check({ cpuLimit: 'lots' }).cpuLimit).toBe(
      '"lots" is not a Kubernetes quantity (e.g. 500m, 4Gi, 2).',
    );
    expect(check({ cpuRequest: '4', cpuLimit: '2' }).cpuRequest).toBe(
      'CPU request must not exceed the limit (2).',
    );
    expect(check({ memoryLimit: '1Mi' }).memoryLimit).toMatch(/^Memory limit must be between/);
    expect(check({ storageSize: '' }).storageSize).toBe('Storage size is required.');
  });

  it('checks an existing claim and its sub-path only in that mode', () => {
    expect(check({ claimName: 'Not Valid' })).toEqual({});
    const existing = { storageMode: 'existing' as const };
    expect(check({ ...existing, claimName: '' }).claimName).toBe(
      'Persistent volume claim must not be empty.',
    );
    expect(check({ ...existing, claimName: 'cache', subPath: '../up' }).subPath).toBe(
      'Sub-path must be a relative path without "..".',
    );
    expect(check({ ...existing, claimName: 'cache', subPath: 'models/llama' })).toEqual({});
  });

  it('rejects a protocol whose template is not installed', () => {
    const errors = validateDeploymentSettings(
      { ...valid, protocol: 'grpc' },
      {
        templates: [
          { protocol: 'http', name: 'nvidia-nim-runtime-http', installed: true },
          { protocol: 'grpc', name: 'nvidia-nim-runtime-grpc', installed: false },
        ],
      },
    );
    expect(errors.protocol).toMatch(/gRPC runtime template is not installed/);
  });
});

describe('evaluateKeyStep', () => {
  const answer = (kind: ValidateKeyResponse['kind']): ValidateKeyResponse => ({
    valid: kind === 'valid',
    kind,
    message: kind,
  });

  it('lets the stored key through without a check', () => {
    expect(
      evaluateKeyStep({
        key: { mode: 'existing', apiKey: '' },
        check: undefined,
        keyValidation: true,
      }).canContinue,
    ).toBe(true);
  });

  it('needs a key NGC accepted, for the key now in the field', () => {
    const key = { mode: 'new' as const, apiKey: 'nvapi-test-1' };
    expect(evaluateKeyStep({ key, check: undefined, keyValidation: true })).toEqual({
      canContinue: false,
      inlineProblem: undefined,
      checked: false,
    });
    const accepted = { apiKey: 'nvapi-test-1', result: answer('valid') };
    expect(evaluateKeyStep({ key, check: accepted, keyValidation: true }).canContinue).toBe(true);
    const rejected = { apiKey: 'nvapi-test-1', result: answer('invalid') };
    expect(evaluateKeyStep({ key, check: rejected, keyValidation: true }).canContinue).toBe(false);
    const stale = { apiKey: 'nvapi-test-0', result: answer('valid') };
    expect(evaluateKeyStep({ key, check: stale, keyValidation: true })).toMatchObject({
      canContinue: false,
      checked: false,
    });
  });

  it('flags legacy keys while typing and never lets them through', () => {
    const status = evaluateKeyStep({
      key: { mode: 'new', apiKey: 'abc123legacy' },
      check: undefined,
      keyValidation: false,
    });
    expect(status.canContinue).toBe(false);
    expect(status.inlineProblem).toMatch(/personal keys/);
  });

  it('accepts a personal key unchecked when validation is off', () => {
    expect(
      evaluateKeyStep({
        key: { mode: 'new', apiKey: 'nvapi-test-1' },
        check: undefined,
        keyValidation: false,
      }).canContinue,
    ).toBe(true);
  });
});
