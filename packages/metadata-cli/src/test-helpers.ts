// Shared by the colocated tests only; not exported from the package.
import { Readable } from 'node:stream';

import type { CliIo } from './io.js';

export { mockModelEntry } from '@odh-nim/contract/testing';

/** In-memory {@link CliIo} with what was written, for running the CLI in-process. */
export interface MemoryIo extends CliIo {
  out(): string;
  err(): string;
}

/** Creates a {@link MemoryIo}; `stdin` is the text standard input holds. */
export function createMemoryIo(
  options: Partial<Omit<CliIo, 'stdin'>> & { stdin?: string } = {},
): MemoryIo {
  let out = '';
  let err = '';
  return {
    env: {},
    isTTY: false,
    ...options,
    stdin: Readable.from([options.stdin ?? '']),
    stdout: { write: (chunk: string) => (out += chunk) },
    stderr: { write: (chunk: string) => (err += chunk) },
    out: () => out,
    err: () => err,
  };
}
