// Shared by the colocated tests only; not exported from the package.
import { Readable } from 'node:stream';

import type { ModelEntry } from '@odh-nim/contract';

import type { CliIo } from './io.js';

/** A fresh, valid catalog entry; override what the test is about. */
export function mockModelEntry(overrides: Partial<ModelEntry> = {}): ModelEntry {
  return {
    name: 'llama-3.1-8b-instruct',
    displayName: 'Llama 3.1 8B Instruct',
    shortDescription: 'A test model.',
    namespace: 'nim/meta',
    tags: ['1.8.4', 'latest', '1.8', '1'],
    latestTag: 'latest',
    updatedDate: '2025-01-02T03:04:05.000Z',
    euRestricted: false,
    ...overrides,
  };
}

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
