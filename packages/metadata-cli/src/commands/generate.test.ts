import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  buildModelsConfigMap,
  parseModelsConfigMap,
  serializeModelsConfigMap,
  sortTags,
  type ModelEntry,
} from '@odh-nim/contract';
import {
  EMULATOR_VALID_KEY,
  loadReferenceCatalog,
  referenceEuRestrictedPath,
  startNgcEmulator,
  type NgcEmulator,
  type NgcFaultRule,
} from '@odh-nim/testkit';

import { run } from '../cli.js';
import { EXIT_CODES } from '../errors.js';
import { parseEuList, type EuListEntry } from '../eu-list.js';
import { DEFAULT_OUTPUT_PATH } from '../repo-root.js';
import { createMemoryIo, mockModelEntry, type MemoryIo } from '../test-helpers.js';

// Small fixed latency keeps requests overlapping (as on a real network) while the suite stays fast.
const LATENCY: NgcFaultRule = { fault: { type: 'latency', ms: 2 } };
// Tiny retry delays and a short timeout: fault tests finish in milliseconds, not minutes.
const FAST_CLIENT = { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 10, timeoutMs: 250 };

let emulator: NgcEmulator;
// Fault and option tests need no 180 models: a slice keeps them fast.
let small: NgcEmulator;
let reference: ModelEntry[];
let smallCatalog: ModelEntry[];
let euList: EuListEntry[];
let dir: string;
let output: string;

beforeAll(async () => {
  reference = await loadReferenceCatalog();
  euList = parseEuList(await readFile(referenceEuRestrictedPath, 'utf8'), 'fixture');
  smallCatalog = reference.slice(0, 20);
  emulator = await startNgcEmulator({ faults: [LATENCY] });
  small = await startNgcEmulator({ catalog: smallCatalog, faults: [LATENCY] });
});

afterAll(async () => {
  await Promise.all([emulator.stop(), small.stop()]);
});

beforeEach(async () => {
  for (const server of [emulator, small]) {
    server.reset();
    server.setFaults([LATENCY]);
  }
  dir = await mkdtemp(join(tmpdir(), 'nim-generate-'));
  output = join(dir, 'catalog.yaml');
  return () => rm(dir, { recursive: true, force: true });
});

interface GenerateRun {
  code: number;
  io: MemoryIo;
}

/** Runs `nim-metadata generate` in-process; asserts the key never reached stdout or stderr. */
async function generate(
  args: string[] = [],
  options: { server?: NgcEmulator; env?: Record<string, string>; isTTY?: boolean } = {},
): Promise<GenerateRun> {
  const server = options.server ?? small;
  const env = { NGC_API_KEY: EMULATOR_VALID_KEY, ...options.env };
  const io = createMemoryIo({
    env,
    cwd: dir,
    isTTY: options.isTTY ?? false,
    ngcClientOptions: FAST_CLIENT,
  });
  const code = await run(['generate', '--base-url', server.url, '-o', output, ...args], io);
  for (const secret of [EMULATOR_VALID_KEY, env.NGC_API_KEY]) {
    expect(io.out()).not.toContain(secret);
    expect(io.err()).not.toContain(secret);
  }
  return { code, io };
}

async function readOutput(): Promise<ModelEntry[]> {
  return parseModelsConfigMap(await readFile(output, 'utf8'), { strict: true }).models;
}

/** A distinctive existing output, to prove a refused run leaves it byte for byte. */
async function writeExisting(models: readonly ModelEntry[] = smallCatalog): Promise<string> {
  const text = serializeModelsConfigMap(await buildModelsConfigMap(models, { namespace: 'keep' }));
  await writeFile(output, text);
  return text;
}

async function expectUntouched(before: string): Promise<void> {
  expect(await readFile(output, 'utf8')).toBe(before);
  expect(await readdir(dir)).toEqual(['catalog.yaml']);
}

function withSortedTags(models: readonly ModelEntry[]): ModelEntry[] {
  return models.map((model) => ({ ...model, tags: sortTags(model.tags) }));
}

// 180 models per run: generous timeouts, as CI machines are often shared and slow.
describe(
  'generate against the emulator replaying the reference catalog',
  { timeout: 30_000 },
  () => {
    it('writes a ConfigMap that parses back to the same models and fields', async () => {
      const { code, io } = await generate([], { server: emulator });
      expect(io.err()).not.toMatch(/error/);
      expect(code).toBe(EXIT_CODES.ok);
      const models = await readOutput();
      expect(models).toHaveLength(reference.length);
      expect(reference).toHaveLength(180);
      // The generator orders tags newest first; everything else is NGC's answer verbatim.
      expect(models).toEqual(withSortedTags(reference).map((m) => ({ ...m, euRestricted: false })));
      expect(io.out()).toContain(`Resolved ${reference.length} models from 1 catalog page(s)`);
      expect(io.out()).toMatch(/Wrote catalog\.yaml: 180 models, [\d.]+ KiB of 1\.00 MiB, sha256:/);
    });

    it('marks exactly the models of the EU list', async () => {
      await writeFile(join(dir, 'eu.json'), await readFile(referenceEuRestrictedPath));
      const { code, io } = await generate(['--eu-list', 'eu.json'], { server: emulator });
      expect(code).toBe(EXIT_CODES.ok);
      const restricted = (await readOutput()).filter((m) => m.euRestricted);
      const expected = euList.map((entry) => entry.resourceId).sort();
      expect(restricted.map((m) => `${m.namespace}/${m.name}`).sort()).toEqual(expected);
      expect(io.out()).toContain(
        `${expected.length} EU-restricted (${expected.length} from the EU list`,
      );
    });

    it('is byte-identical on a second run', async () => {
      expect((await generate([], { server: emulator })).code).toBe(EXIT_CODES.ok);
      const first = await readFile(output, 'utf8');
      const validation = createMemoryIo({ cwd: dir });
      expect(await run(['validate', output], validation)).toBe(EXIT_CODES.ok);
      expect(validation.out()).toContain('valid, 180 models');
      const second = await generate([], { server: emulator });
      expect(second.code).toBe(EXIT_CODES.ok);
      // Said only when the new bytes equal the file's: nothing is rewritten.
      expect(second.io.out()).toContain('Unchanged: catalog.yaml (180 models');
      expect(await readFile(output, 'utf8')).toBe(first);
    });

    it('sets metadata.namespace with --namespace', async () => {
      expect((await generate(['--namespace', 'opendatahub'])).code).toBe(EXIT_CODES.ok);
      expect(await readFile(output, 'utf8')).toContain('  namespace: opendatahub\n');
    });

    it('marks a model answering 451 in this run as restricted, from catalog data', async () => {
      const target = smallCatalog[0]!;
      small.addFault({
        fault: { type: 'status', status: 451 },
        route: 'details',
        model: target.name,
      });
      const { code, io } = await generate();
      expect(code).toBe(EXIT_CODES.ok);
      const model = (await readOutput()).find((m) => m.name === target.name);
      expect(model).toMatchObject({ euRestricted: true, tags: [target.latestTag] });
      expect(io.out()).toContain('1 answered 451');
    });
  },
);

describe('generate under NGC faults', () => {
  it.each<[string, NgcFaultRule[]]>([
    [
      'a 429 burst with Retry-After',
      [{ fault: { type: 'status', status: 429, retryAfter: 1 }, route: 'details', times: 12 }],
    ],
    [
      '5xx answers',
      [
        { fault: { type: 'status', status: 503 }, route: 'catalog', times: 2 },
        { fault: { type: 'status', status: 502 }, route: 'details', times: 6 },
      ],
    ],
    ['a hung request', [{ fault: { type: 'hang' }, route: 'details', times: 2 }]],
    ['truncated JSON', [{ fault: { type: 'truncated-json' }, times: 4 }]],
    ['an HTML error page instead of JSON', [{ fault: { type: 'malformed-json' }, times: 3 }]],
  ])('retries %s and succeeds', async (_label, faults) => {
    await writeExisting();
    small.setFaults([LATENCY, ...faults]);
    const { code, io } = await generate(['--verbose']);
    expect(code).toBe(EXIT_CODES.ok);
    expect(small.requests.some((request) => request.fault !== undefined)).toBe(true);
    expect(io.err()).toMatch(/retrying in \d+ ms/);
    expect(await readOutput()).toHaveLength(smallCatalog.length);
  });

  it('fails listing the models that keep failing, and writes nothing', async () => {
    const before = await writeExisting();
    const [a, b] = [smallCatalog[3]!, smallCatalog[7]!];
    small.setFaults([
      LATENCY,
      { fault: { type: 'status', status: 500 }, route: 'details', model: a.name },
      { fault: { type: 'truncated-json' }, route: 'details', model: b.name },
    ]);
    const { code, io } = await generate();
    expect(code).toBe(EXIT_CODES.ngc);
    expect(io.out()).toContain('Failed: 2:');
    expect(io.out()).toContain(`${a.namespace}/${a.name}: NGC model details of`);
    expect(io.err()).toContain('error: 2 model(s) failed after retries; nothing was written.');
    expect(io.err()).toContain('--allow-failures');
    await expectUntouched(before);
  });

  it('with --allow-failures writes the catalog without them', async () => {
    await writeExisting();
    const failing = smallCatalog[3]!;
    small.setFaults([
      LATENCY,
      { fault: { type: 'status', status: 500 }, route: 'details', model: failing.name },
    ]);
    const { code } = await generate(['--allow-failures']);
    expect(code).toBe(EXIT_CODES.ok);
    const names = (await readOutput()).map((m) => m.name);
    expect(names).toHaveLength(smallCatalog.length - 1);
    expect(names).not.toContain(failing.name);
  });

  it('stops on a 401 in the middle of the run and leaves the output untouched', async () => {
    const before = await writeExisting();
    small.setFaults([
      LATENCY,
      { fault: { type: 'status', status: 401 }, route: 'details', model: smallCatalog[2]!.name },
    ]);
    const { code, io } = await generate();
    expect(code).toBe(EXIT_CODES.keyRejected);
    expect(io.err()).toMatch(/error: NGC rejected the API key \(HTTP 401\).*nothing was written/);
    await expectUntouched(before);
    // Stopped early: far fewer detail requests than models.
    const details = small.requests.filter((request) => request.route === 'details');
    expect(details.length).toBeLessThan(smallCatalog.length);
  });

  it('refuses a key NGC rejects before fetching anything', async () => {
    const before = await writeExisting();
    const { code, io } = await generate([], { env: { NGC_API_KEY: 'nvapi-test-wrong' } });
    expect(code).toBe(EXIT_CODES.keyRejected);
    expect(io.err()).toContain('NGC rejected the key (HTTP 401)');
    // The catalog search (which takes no key) runs alongside; no request carried the key after.
    const routes = small.requests.map((request) => request.route);
    expect(routes).toContain('key-validation');
    expect(routes).not.toContain('details');
    await expectUntouched(before);
  });

  it('fails clearly when the catalog search keeps failing', async () => {
    const before = await writeExisting();
    small.setFaults([LATENCY, { fault: { type: 'status', status: 502 }, route: 'catalog' }]);
    const { code, io } = await generate();
    expect(code).toBe(EXIT_CODES.ngc);
    expect(io.err()).toMatch(/error: NGC failed while listing the NGC catalog: .*HTTP 502/);
    await expectUntouched(before);
  });

  it('refuses to write when NGC resolves zero models', async () => {
    const before = await writeExisting();
    const empty = await startNgcEmulator({ catalog: [] });
    try {
      const { code, io } = await generate([], { server: empty });
      expect(code).toBe(EXIT_CODES.failed);
      expect(io.err()).toContain('error: NGC resolved no models');
      expect(io.err()).toContain('--base-url');
    } finally {
      await empty.stop();
    }
    await expectUntouched(before);
  });

  it('refuses a catalog over 1 MiB and says how large it is', async () => {
    const before = await writeExisting();
    const huge = Array.from({ length: 60 }, (_, i) =>
      mockModelEntry({ name: `huge-${i}`, shortDescription: 'x'.repeat(20_000) }),
    );
    const big = await startNgcEmulator({ catalog: huge });
    try {
      const { code, io } = await generate(['--allow-drop'], { server: big });
      expect(code).toBe(EXIT_CODES.failed);
      expect(io.err()).toMatch(
        /error: The catalog is 1\.\d\d MiB for 60 models, over the ConfigMap limit of 1\.00 MiB/,
      );
    } finally {
      await big.stop();
    }
    await expectUntouched(before);
  });
});

describe('the drop guard', () => {
  let subset: NgcEmulator;
  beforeAll(async () => {
    // NGC "loses" a fifth of the models: 4 of 20, 20% > 10%.
    subset = await startNgcEmulator({ catalog: smallCatalog.slice(4) });
  });
  afterAll(async () => {
    await subset.stop();
  });

  it('refuses to drop more than --max-drop of the existing models', async () => {
    const before = await writeExisting();
    const { code, io } = await generate([], { server: subset });
    expect(code).toBe(EXIT_CODES.failed);
    expect(io.err()).toContain('error: This run would drop 4 of the 20 models in catalog.yaml');
    expect(io.err()).toContain('(20%, over --max-drop 10%)');
    expect(io.err()).toContain('--allow-drop');
    await expectUntouched(before);
  });

  it('writes with --allow-drop or a larger --max-drop', async () => {
    await writeExisting();
    expect((await generate(['--max-drop', '20%'], { server: subset })).code).toBe(EXIT_CODES.ok);
    expect(await readOutput()).toHaveLength(16);
    await writeExisting();
    const { code, io } = await generate(['--allow-drop'], { server: subset });
    expect(code).toBe(EXIT_CODES.ok);
    expect(io.err()).toContain('writing anyway: --allow-drop');
  });

  it('refuses to replace a file that is not a catalog', async () => {
    await writeFile(output, 'just: some yaml\n');
    const { code, io } = await generate();
    expect(code).toBe(EXIT_CODES.failed);
    expect(io.err()).toContain('is not a models catalog');
    expect(await readFile(output, 'utf8')).toBe('just: some yaml\n');
  });
});

describe('generate options', () => {
  it('reads the key from stdin or a file', async () => {
    const io = createMemoryIo({
      cwd: dir,
      stdin: `${EMULATOR_VALID_KEY}\n`,
      ngcClientOptions: FAST_CLIENT,
    });
    const args = ['generate', '--base-url', small.url, '-o', output, '--api-key-stdin'];
    expect(await run(args, io)).toBe(EXIT_CODES.ok);
    await writeFile(join(dir, 'key'), EMULATOR_VALID_KEY);
    const fromFile = createMemoryIo({ cwd: dir, ngcClientOptions: FAST_CLIENT });
    const fileArgs = ['generate', '--base-url', small.url, '-o', output, '--api-key-file', 'key'];
    expect(await run(fileArgs, fromFile)).toBe(EXIT_CODES.ok);
    expect(io.err() + io.out() + fromFile.err() + fromFile.out()).not.toContain(EMULATOR_VALID_KEY);
  });

  it('takes the base URL from NGC_BASE_URL', async () => {
    const io = createMemoryIo({
      cwd: dir,
      env: { NGC_API_KEY: EMULATOR_VALID_KEY, NGC_BASE_URL: small.url },
      ngcClientOptions: FAST_CLIENT,
    });
    expect(await run(['generate', '-o', output], io)).toBe(EXIT_CODES.ok);
  });

  it('writes under the repository root by default', async () => {
    await writeFile(join(dir, 'package.json'), JSON.stringify({ workspaces: ['packages/*'] }));
    const cwd = join(dir, 'packages', 'x');
    await mkdir(cwd, { recursive: true });
    const io = createMemoryIo({
      cwd,
      env: { NGC_API_KEY: EMULATOR_VALID_KEY, NGC_BASE_URL: small.url },
      ngcClientOptions: FAST_CLIENT,
    });
    expect(await run(['generate'], io)).toBe(EXIT_CODES.ok);
    const text = await readFile(join(dir, DEFAULT_OUTPUT_PATH), 'utf8');
    expect(parseModelsConfigMap(text).models).toHaveLength(smallCatalog.length);
  });

  it('bounds concurrency by --concurrency', async () => {
    expect((await generate(['--concurrency', '3'])).code).toBe(EXIT_CODES.ok);
    expect(small.stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(small.stats.maxInFlight).toBeGreaterThan(1);
  });

  it('draws a progress bar on a terminal and progress lines otherwise', async () => {
    const tty = await generate([], { isTTY: true });
    expect(tty.io.err()).toContain('\r\x1b[2KFetching model details [');
    expect(tty.io.err()).toMatch(/20\/20 100%, width \d+/);
    const plain = await generate();
    expect(plain.io.err()).toMatch(/Fetching model details: 2\/20 \(10%\), width \d+\n/);
    expect(plain.io.err()).not.toContain('\r');
    expect(plain.io.out()).toMatch(
      /Fetched model details at up to \d+ in flight \(adaptive, cap 128/,
    );
  });

  it('refuses a legacy key without calling NGC', async () => {
    const { code, io } = await generate([], { env: { NGC_API_KEY: 'legacyapikeytest' } });
    expect(code).toBe(EXIT_CODES.usage);
    expect(io.err()).toContain('Only NGC personal keys');
    expect(io.err()).not.toContain('legacyapikeytest');
    expect(small.requests).toEqual([]);
  });

  it('rejects an invalid --concurrency as a usage error', async () => {
    expect((await generate(['--concurrency', '0'])).code).toBe(EXIT_CODES.usage);
  });
});
