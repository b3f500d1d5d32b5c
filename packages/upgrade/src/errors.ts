/** Machine-readable reasons an upgrade step fails as a whole (single objects fail in the report). */
export type UpgradeErrorCode =
  /** Bad flags or arguments. */
  | 'usage'
  /** No kubeconfig could be loaded, or it names no cluster. */
  | 'kubeconfig'
  /** The cluster could not be read, so nothing could be decided safely. */
  | 'read-failed'
  /** A manifest is not a valid catalog ConfigMap. */
  | 'invalid-manifest'
  /** A file could not be read. */
  | 'io';

/** Options of an {@link UpgradeError}. */
export interface UpgradeErrorOptions {
  /** What the person running the upgrade can do about it. */
  suggestion?: string;
  /** The underlying failure. */
  cause?: unknown;
}

/**
 * A failure that stops an upgrade command before or instead of its per-object work. Failures of
 * single objects do not throw: they are reported as `failed` entries.
 */
export class UpgradeError extends Error {
  override readonly name = 'UpgradeError';
  readonly suggestion: string | undefined;
  constructor(
    readonly code: UpgradeErrorCode,
    message: string,
    options: UpgradeErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.suggestion = options.suggestion;
  }
}

/** True for an {@link UpgradeError}. */
export function isUpgradeError(error: unknown): error is UpgradeError {
  return error instanceof UpgradeError;
}
