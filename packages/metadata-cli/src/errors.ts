/** Machine-readable reasons a `nim-metadata` command fails. */
export type MetadataCliErrorCode =
  /** Bad flags or arguments. */
  | 'usage'
  /** A file could not be read or written. */
  | 'io'
  /** No NGC key was given, or it is not a personal key. */
  | 'key-missing'
  | 'key-invalid'
  /** NGC rejected the key (401/403), at validation or in the middle of a run. */
  | 'key-rejected'
  /** NGC could not be reached or kept failing after retries. */
  | 'ngc-unavailable'
  /** Some models' details could not be fetched (without `--allow-failures`). */
  | 'model-failures'
  /** An input file is not a catalog or an EU list. */
  | 'invalid-input'
  /** `validate` found problems. */
  | 'catalog-invalid'
  /** The catalog would exceed the 1 MiB ConfigMap limit. */
  | 'too-large'
  /** NGC resolved no model at all. */
  | 'no-models'
  /** The run would drop too many models of the existing catalog. */
  | 'drop-guard';

/** Options of a {@link MetadataCliError}. */
export interface MetadataCliErrorOptions {
  /** What the person running the command can do about it. */
  suggestion?: string;
  /** The underlying failure; never carries the key. */
  cause?: unknown;
}

/**
 * Every failure a command reports. The message says what happened, `suggestion` what to do;
 * {@link exitCodeOf} maps the code to the process exit code. Never carries the NGC key.
 */
export class MetadataCliError extends Error {
  override readonly name = 'MetadataCliError';
  readonly suggestion: string | undefined;
  constructor(
    readonly code: MetadataCliErrorCode,
    message: string,
    options: MetadataCliErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.suggestion = options.suggestion;
  }
}

/** Process exit codes of `nim-metadata` (documented in the package README). */
export const EXIT_CODES = {
  /** Success (`diff`: also when the catalogs differ, unless `--exit-code`). */
  ok: 0,
  /** The command ran and refused or found a problem: invalid catalog, a guard tripped. */
  failed: 1,
  /** Usage, input or file-system error: nothing was checked or fetched. */
  usage: 2,
  /** NGC rejected the key. */
  keyRejected: 3,
  /** NGC unavailable, or models failed after retries. */
  ngc: 4,
} as const;

/** The single place error codes become exit codes. */
export function exitCodeOf(code: MetadataCliErrorCode): number {
  switch (code) {
    case 'usage':
    case 'io':
    case 'key-missing':
    case 'key-invalid':
    case 'invalid-input':
      return EXIT_CODES.usage;
    case 'key-rejected':
      return EXIT_CODES.keyRejected;
    case 'ngc-unavailable':
    case 'model-failures':
      return EXIT_CODES.ngc;
    case 'catalog-invalid':
    case 'too-large':
    case 'no-models':
    case 'drop-guard':
      return EXIT_CODES.failed;
  }
}

/** True for a {@link MetadataCliError}. */
export function isMetadataCliError(error: unknown): error is MetadataCliError {
  return error instanceof MetadataCliError;
}

/** Message of an unknown thrown value, for wrapping into a {@link MetadataCliError}. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
