/** Machine-readable reasons an NGC call fails. */
export type NgcErrorCode =
  | 'non-personal-key'
  | 'unauthorized'
  | 'request-failed'
  | 'unexpected-status'
  | 'invalid-response'
  | 'aborted';

/** Options shared by every {@link NgcError}. */
export interface NgcErrorOptions {
  /** What the person running the tool can do about it. */
  suggestion?: string;
  /** The underlying failure, already stripped of secrets (see `toSafeCause`). */
  cause?: unknown;
}

/**
 * Base of every error the NGC client throws: a `code` for callers, a message and a `suggestion`
 * fit for a person. Never carries the API key, a request or its headers.
 */
export class NgcError extends Error {
  override name = 'NgcError';
  readonly suggestion: string | undefined;
  constructor(
    readonly code: NgcErrorCode,
    message: string,
    options: NgcErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.suggestion = options.suggestion;
  }
}

/** The key is not an NGC personal key (`nvapi-…`); thrown before any request is made. */
export class NgcNonPersonalKeyError extends NgcError {
  override name = 'NgcNonPersonalKeyError';
  constructor(message: string) {
    super('non-personal-key', message, {
      suggestion:
        'Create a personal key at https://org.ngc.nvidia.com/setup/personal-keys with the ' +
        '"NGC Catalog" service and use it instead.',
    });
  }
}

/** NGC answered 401/403: the key is wrong, expired or lacks access. Fatal for a whole run. */
export class NgcUnauthorizedError extends NgcError {
  override name = 'NgcUnauthorizedError';
  constructor(
    readonly status: number,
    context: string,
  ) {
    super('unauthorized', `NGC rejected the API key (HTTP ${status}) for ${context}.`, {
      suggestion:
        'Check that the personal key is current, belongs to an org with NGC Catalog access, and ' +
        'was copied completely.',
    });
  }
}

/** Every attempt failed with a retryable problem (network, timeout, 429, 5xx, bad JSON). */
export class NgcRequestError extends NgcError {
  override name = 'NgcRequestError';
  constructor(
    readonly attempts: number,
    readonly reason: string,
    options: { context: string; cause?: unknown },
  ) {
    super(
      'request-failed',
      `NGC ${options.context} failed after ${attempts} attempt(s): ${reason}`,
      {
        suggestion:
          'NGC may be unavailable or throttling; retry later, or raise the retry count and timeout.',
        cause: options.cause,
      },
    );
  }
}

/** NGC answered with a status this endpoint does not expect and retrying will not change. */
export class NgcUnexpectedStatusError extends NgcError {
  override name = 'NgcUnexpectedStatusError';
  constructor(
    readonly status: number,
    context: string,
  ) {
    super('unexpected-status', `NGC ${context} answered HTTP ${status}.`, {
      suggestion: 'Check the configured NGC base URL; the API may have changed.',
    });
  }
}

/** NGC answered valid JSON of an unexpected shape. */
export class NgcInvalidResponseError extends NgcError {
  override name = 'NgcInvalidResponseError';
  constructor(context: string, reason: string) {
    super('invalid-response', `NGC ${context} returned an unexpected response: ${reason}`, {
      suggestion: 'The NGC API may have changed; report it with the endpoint named here.',
    });
  }
}

/** The caller aborted the operation. */
export class NgcAbortedError extends NgcError {
  override name = 'NgcAbortedError';
  constructor(context: string) {
    super('aborted', `NGC ${context} was aborted.`);
  }
}

/** True for any error of this package. */
export function isNgcError(error: unknown): error is NgcError {
  return error instanceof NgcError;
}
