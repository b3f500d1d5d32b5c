import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_OUTPUT_PATH, displayPath, findRepoRoot, resolveOutputPath } from './repo-root.js';

describe('resolveOutputPath', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nim-root-'));
    await mkdir(join(dir, 'repo', 'packages', 'cli'), { recursive: true });
    await writeFile(join(dir, 'repo', 'package.json'), '{"workspaces":["packages/*"]}');
    await writeFile(join(dir, 'repo', 'packages', 'cli', 'package.json'), '{"name":"cli"}');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the workspace root above a package', async () => {
    expect(await findRepoRoot(join(dir, 'repo', 'packages', 'cli'))).toBe(join(dir, 'repo'));
  });

  it('defaults under the repository root, else under cwd', async () => {
    const cwd = join(dir, 'repo', 'packages', 'cli');
    expect(await resolveOutputPath(undefined, cwd)).toBe(join(dir, 'repo', DEFAULT_OUTPUT_PATH));
    expect(await resolveOutputPath(undefined, dir)).toBe(join(dir, DEFAULT_OUTPUT_PATH));
  });

  it('resolves an explicit output against cwd', async () => {
    expect(await resolveOutputPath('out.yaml', dir)).toBe(join(dir, 'out.yaml'));
    expect(displayPath(join(dir, 'a', 'b.yaml'), dir)).toBe(join('a', 'b.yaml'));
    expect(displayPath('/elsewhere/b.yaml', dir)).toBe('/elsewhere/b.yaml');
  });
});
