import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MetadataCliError } from './errors.js';
import { readApiKey, type ReadApiKeyOptions } from './key-source.js';

const KEY = 'nvapi-test-key-1';
const OTHER = 'nvapi-test-key-2';

describe('readApiKey', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nim-key-'));
    await writeFile(join(dir, 'key'), `${KEY}\n`);
    await writeFile(join(dir, 'two-lines'), `${KEY}\n${OTHER}\n`);
    await writeFile(join(dir, 'legacy'), 'abc123legacykey\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const options = (overrides: Partial<ReadApiKeyOptions> = {}): ReadApiKeyOptions => ({
    env: {},
    stdinStream: Readable.from([]),
    cwd: dir,
    ...overrides,
  });

  async function failure(promise: Promise<unknown>): Promise<MetadataCliError> {
    const error: unknown = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(error instanceof MetadataCliError)) throw new Error('expected a MetadataCliError');
    expect(`${error.message} ${error.suggestion ?? ''}`).not.toContain('test-key');
    return error;
  }

  it('reads and trims a key file, relative to cwd', async () => {
    const key = await readApiKey(options({ file: 'key', env: { NGC_API_KEY: OTHER } }));
    expect(key).toEqual({ key: KEY, source: 'file', description: '--api-key-file key' });
  });

  it('reads stdin', async () => {
    const key = await readApiKey(
      options({ stdin: true, stdinStream: Readable.from([`${KEY}\r\n`]) }),
    );
    expect(key).toMatchObject({ key: KEY, source: 'stdin' });
  });

  it('falls back to NGC_API_KEY', async () => {
    expect(await readApiKey(options({ env: { NGC_API_KEY: ` ${KEY} ` } }))).toMatchObject({
      key: KEY,
      source: 'env',
    });
  });

  it('asks for a key when there is none, naming every source', async () => {
    const error = await failure(readApiKey(options({ env: { NGC_API_KEY: '' } })));
    expect(error.code).toBe('key-missing');
    expect(error.suggestion).toMatch(/--api-key-file.*NGC_API_KEY.*--api-key-stdin/);
  });

  it('refuses two sources at once', async () => {
    expect((await failure(readApiKey(options({ file: 'key', stdin: true })))).code).toBe('usage');
  });

  it('reports an unreadable file as an I/O error', async () => {
    expect((await failure(readApiKey(options({ file: 'missing' })))).code).toBe('io');
  });

  it('refuses a file with more than the key', async () => {
    expect((await failure(readApiKey(options({ file: 'two-lines' })))).code).toBe('key-invalid');
  });

  it('refuses legacy (non-personal) keys', async () => {
    const error = await failure(readApiKey(options({ file: 'legacy' })));
    expect(error.code).toBe('key-invalid');
    expect(error.message).toContain('personal keys');
    expect(error.message).not.toContain('abc123legacykey');
  });
});
