import type { NgcClientOptions, NgcLogger } from '@odh-nim/ngc';

/** Where a command writes text: `process.stdout`, `process.stderr` or a test buffer. */
export interface OutputStream {
  write(chunk: string): unknown;
}

/**
 * Everything a command touches outside its arguments, injected so tests run in-process: the
 * streams, the environment, the working directory and whether stderr is a terminal.
 */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Read only with `--api-key-stdin`; `process.stdin` or any (async) iterable of chunks. */
  stdin: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves relative paths and the default output. Default `process.cwd()`. */
  cwd?: string;
  /** True when stderr is a terminal: a redrawn progress bar instead of progress lines. */
  isTTY?: boolean;
  /**
   * Overrides of the NGC client (retry delays, timeouts, `fetch`), for tests and benchmarks.
   * Flags given on the command line win over these.
   */
  ngcClientOptions?: Partial<NgcClientOptions>;
}

/** The logger commands and the NGC client write to; `--verbose` turns on debug and info. */
export interface CliLogger extends NgcLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** Marker NGC keys are replaced with wherever one could reach a stream. */
export const REDACTED = '[REDACTED]';

/**
 * Secrets known to the run, replaced in everything written to stdout and stderr. Defense in
 * depth: no code path prints the key, and this makes sure none ever can.
 */
export class SecretRedactor {
  readonly #secrets = new Set<string>();

  add(secret: string): void {
    if (secret.length > 0) this.#secrets.add(secret);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.#secrets) result = result.split(secret).join(REDACTED);
    return result;
  }

  /** A stream writing through {@link SecretRedactor.redact}. */
  wrap(stream: OutputStream): OutputStream {
    return { write: (chunk: string) => stream.write(this.redact(chunk)) };
  }
}

/**
 * A logger writing `level: message` lines through `writeLine`. Debug and info only with
 * `verbose`; warnings always.
 */
export function createCliLogger(options: {
  writeLine: (line: string) => void;
  verbose: boolean;
}): CliLogger {
  const { writeLine, verbose } = options;
  return {
    debug: (message) => {
      if (verbose) writeLine(`debug: ${message}`);
    },
    info: (message) => {
      if (verbose) writeLine(`info: ${message}`);
    },
    warn: (message) => writeLine(`warning: ${message}`),
  };
}

/**
 * The NGC client's notices (retries, backoff waits) are routine: shown with `--verbose` only, as
 * the run's summary reports what finally failed.
 */
export function toNgcLogger(logger: CliLogger): NgcLogger {
  return {
    debug: (message) => logger.debug(message),
    info: (message) => logger.debug(message),
    warn: (message) => logger.info(message),
  };
}
