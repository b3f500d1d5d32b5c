import { resolve } from 'node:path';

import {
  createCliLogger,
  SecretRedactor,
  type CliIo,
  type CliLogger,
  type OutputStream,
} from './io.js';
import type { ProgressReporter } from './progress.js';

/** What every subcommand gets from `run`: the injected I/O, wrapped so no key can leak. */
export class CommandContext {
  readonly redactor = new SecretRedactor();
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly cwd: string;
  /** Exit code the command that ran asks for (`run` returns it). */
  exitCode = 0;
  #progress: ProgressReporter | undefined;

  constructor(readonly io: CliIo) {
    this.stdout = this.redactor.wrap(io.stdout);
    this.stderr = this.redactor.wrap(io.stderr);
    this.cwd = io.cwd ?? process.cwd();
  }

  /** `path` resolved against the run's working directory. */
  resolvePath(path: string): string {
    return resolve(this.cwd, path);
  }

  /** Registers a secret read during the run: from now on it never reaches stdout or stderr. */
  addSecret(secret: string): void {
    this.redactor.add(secret);
  }

  /** A logger on stderr; lines go above the progress bar while one is drawn. */
  createLogger(verbose: boolean): CliLogger {
    return createCliLogger({ verbose, writeLine: (line) => this.writeErrLine(line) });
  }

  /** Routes log lines through `progress` until `undefined` is set again. */
  setProgress(progress: ProgressReporter | undefined): void {
    this.#progress = progress;
  }

  /** One line on stderr, above the progress bar if one is drawn. */
  writeErrLine(line: string): void {
    if (this.#progress) this.#progress.writeLine(line);
    else this.stderr.write(`${line}\n`);
  }
}
