import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildModelsConfigMap, serializeModelsConfigMap } from '@odh-nim/contract';

import { run } from './cli.js';
import { EXIT_CODES } from './errors.js';
import { createMemoryIo, mockModelEntry } from './test-helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nim-cli-'));
  const write = async (file: string, names: string[], latestTag = 'latest'): Promise<void> => {
    const models = names.map((name) => mockModelEntry({ name, latestTag }));
    await writeFile(join(dir, file), serializeModelsConfigMap(await buildModelsConfigMap(models)));
  };
  await write('old.yaml', ['model-a', 'model-b']);
  await write('new.yaml', ['model-b', 'model-c'], '1');
  await writeFile(join(dir, 'stale.yaml'), 'apiVersion: v1\nkind: ConfigMap\ndata: {}\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = createMemoryIo({ cwd: dir });
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('run', () => {
  it.each([[[]], [['generate']], [['detect-eu']], [['diff']], [['validate']]])(
    'prints help with examples: %j --help',
    async (argv) => {
      const { code, out } = await cli([...argv, '--help']);
      expect(code).toBe(EXIT_CODES.ok);
      expect(out).toContain('Usage: nim-metadata');
      expect(out).toContain('Examples:');
    },
  );

  it('prints the version', async () => {
    const { code, out } = await cli(['--version']);
    expect(code).toBe(EXIT_CODES.ok);
    expect(out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('maps usage errors to exit code 2', async () => {
    expect((await cli(['nope'])).code).toBe(EXIT_CODES.usage);
    expect((await cli(['diff', 'old.yaml'])).code).toBe(EXIT_CODES.usage);
    expect((await cli(['diff', '--format', 'html', 'old.yaml', 'new.yaml'])).code).toBe(
      EXIT_CODES.usage,
    );
    expect((await cli([])).code).toBe(EXIT_CODES.usage);
  });

  it.each([
    [['generate', 'nvapi-test-bare-key']],
    [['generate', '--api-key', 'nvapi-test-bare-key']],
    [['generate', '--api-key=nvapi-test-bare-key']],
    [['detect-eu', '--key', 'nvapi-test-bare-key']],
  ])('refuses a key given as an argument without echoing it: %j', async (argv) => {
    const { code, out, err } = await cli(argv);
    expect(code).toBe(EXIT_CODES.usage);
    expect(err).toContain('never accepted as a command argument');
    expect(err).toContain('--api-key-file');
    expect(out + err).not.toContain('bare-key');
  });

  it('hides a key-shaped value in commander errors', async () => {
    const { err } = await cli(['generate', '--nvapi-test-bare-key']);
    expect(err).not.toContain('bare-key');
  });

  it('allows a key file whose name looks like a key', async () => {
    const { err } = await cli(['generate', '--api-key-file', 'nvapi-file', '-o', 'x.yaml']);
    expect(err).toContain('Cannot read the key file nvapi-file');
  });
});

describe('diff', () => {
  it('prints text and exits 0 even when the catalogs differ', async () => {
    const { code, out } = await cli(['diff', 'old.yaml', 'new.yaml']);
    expect(code).toBe(EXIT_CODES.ok);
    expect(out).toContain('+ model-c');
    expect(out).toContain('- model-a');
    expect(out).toContain('latestTag: latest -> 1');
  });

  it('exits 1 with --exit-code when they differ, 0 when equal', async () => {
    expect((await cli(['diff', '--exit-code', 'old.yaml', 'new.yaml'])).code).toBe(1);
    expect((await cli(['diff', '--exit-code', 'old.yaml', 'old.yaml'])).code).toBe(0);
  });

  it('writes markdown and JSON', async () => {
    expect((await cli(['diff', '--format', 'markdown', 'old.yaml', 'new.yaml'])).out).toContain(
      '### Added (1)',
    );
    const json = (await cli(['diff', '--format', 'json', 'old.yaml', 'new.yaml'])).out;
    expect(JSON.parse(json)).toMatchObject({ summary: { added: 1, removed: 1, changed: 1 } });
  });

  it('reports a missing file as an I/O error', async () => {
    const { code, err } = await cli(['diff', 'old.yaml', 'missing.yaml']);
    expect(code).toBe(EXIT_CODES.usage);
    expect(err).toContain('error: Cannot read missing.yaml');
  });
});

describe('validate', () => {
  it('exits 0 for a valid catalog', async () => {
    const { code, out } = await cli(['validate', 'old.yaml']);
    expect(code).toBe(EXIT_CODES.ok);
    expect(out).toMatch(/^old\.yaml: valid, 2 models, [\d.]+ (B|KiB) of 1\.00 MiB\.\n$/);
  });

  it('exits 1 listing every problem', async () => {
    const { code, out } = await cli(['validate', 'stale.yaml']);
    expect(code).toBe(EXIT_CODES.failed);
    expect(out).toContain('error: immutable: must be true');
    expect(out).toContain('error: metadata: missing');
    expect(out).toContain('error: data: holds no model');
  });

  it('exits 2 for an unreadable file', async () => {
    expect((await cli(['validate', 'missing.yaml'])).code).toBe(EXIT_CODES.usage);
  });
});
