import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import { describeKeyProblem, NGC_API_KEY_ENV } from '@odh-nim/contract';

import { describeError, MetadataCliError } from './errors.js';
import { KEY_SOURCES_HINT } from './options.js';
import type { CliIo } from './io.js';

/** Where the key came from, for messages (never the key itself). */
export type KeySourceKind = 'file' | 'stdin' | 'env';

/** An NGC key and where it was read. */
export interface ApiKey {
  key: string;
  source: KeySourceKind;
  /** `--api-key-file FILE`, `stdin` or `$NGC_API_KEY`. */
  description: string;
}

/** Options of {@link readApiKey}. */
export interface ReadApiKeyOptions {
  /** `--api-key-file`: a file holding only the key. */
  file?: string | undefined;
  /** `--api-key-stdin`: read the key from standard input. */
  stdin?: boolean | undefined;
  env: Readonly<Record<string, string | undefined>>;
  stdinStream: CliIo['stdin'];
  /** Resolves a relative `file`. */
  cwd: string;
}

/**
 * Reads the NGC key from, in order: `--api-key-file`, `--api-key-stdin`, `$NGC_API_KEY`. An
 * explicit flag wins over the environment; both flags at once is a usage error. The key is
 * trimmed and must be a personal key (`nvapi-…`). Errors never quote the key.
 */
export async function readApiKey(options: ReadApiKeyOptions): Promise<ApiKey> {
  if (options.file !== undefined && options.stdin) {
    throw new MetadataCliError('usage', 'Give the key one way: --api-key-file or --api-key-stdin.');
  }
  let raw: string;
  let source: KeySourceKind;
  let description: string;
  if (options.file !== undefined) {
    const path = resolve(options.cwd, options.file);
    source = 'file';
    description = `--api-key-file ${options.file}`;
    try {
      raw = await readFile(path, 'utf8');
    } catch (error) {
      throw new MetadataCliError('io', `Cannot read the key file ${options.file}.`, {
        cause: error,
        suggestion: `Check the path and its permissions (${describeError(error)}).`,
      });
    }
  } else if (options.stdin) {
    source = 'stdin';
    description = 'standard input';
    raw = await readAll(options.stdinStream);
  } else {
    const value = options.env[NGC_API_KEY_ENV];
    if (value === undefined || value.trim() === '') {
      throw new MetadataCliError('key-missing', 'This command needs an NGC personal key.', {
        suggestion: KEY_SOURCES_HINT,
      });
    }
    source = 'env';
    description = `$${NGC_API_KEY_ENV}`;
    raw = value;
  }
  const lines = raw.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length > 1) {
    throw new MetadataCliError('key-invalid', `The key from ${description} spans several lines.`, {
      suggestion: 'The file or input must hold the key alone, on one line.',
    });
  }
  const key = (lines[0] ?? '').trim();
  const problem = describeKeyProblem(key);
  if (problem !== undefined) {
    throw new MetadataCliError(
      'key-invalid',
      `The key from ${description} is unusable: ${problem}`,
      {
        suggestion: KEY_SOURCES_HINT,
      },
    );
  }
  return { key, source, description };
}

async function readAll(stream: CliIo['stdin']): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}
