import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nim-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the file and missing parent directories', async () => {
    const path = join(dir, 'a', 'b', 'out.yaml');
    await writeFileAtomic(path, 'hello\n');
    expect(await readFile(path, 'utf8')).toBe('hello\n');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['out.yaml']);
  });

  it('replaces an existing file and keeps its permissions', async () => {
    const path = join(dir, 'out.yaml');
    await writeFile(path, 'old', { mode: 0o600 });
    await writeFileAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('leaves the old file and no temporary file when the rename fails', async () => {
    const path = join(dir, 'out.yaml');
    await writeFile(path, 'old content');
    const failingRename = (): Promise<void> => Promise.reject(new Error('disk on fire'));
    await expect(
      writeFileAtomic(path, 'new content', { fs: { rename: failingRename } }),
    ).rejects.toThrow('disk on fire');
    expect(await readFile(path, 'utf8')).toBe('old content');
    expect(await readdir(dir)).toEqual(['out.yaml']);
  });

  it('cleans up when the target is a directory', async () => {
    const path = join(dir, 'taken');
    await mkdir(path);
    await writeFile(join(path, 'inside'), 'x');
    await expect(writeFileAtomic(path, 'content')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['taken']);
    expect(await readFile(join(path, 'inside'), 'utf8')).toBe('x');
  });
});
