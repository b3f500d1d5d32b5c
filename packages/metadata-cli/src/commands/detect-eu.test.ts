import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  EMULATOR_VALID_KEY,
  referenceEuRestrictedPath,
  startNgcEmulator,
  type NgcEmulator,
  type NgcFaultRule,
} from '@odh-nim/testkit';

import { run } from '../cli.js';
import { EXIT_CODES } from '../errors.js';
import { parseEuList, serializeEuList, type EuListEntry } from '../eu-list.js';
import { createMemoryIo, type MemoryIo } from '../test-helpers.js';

const LATENCY: NgcFaultRule = { fault: { type: 'latency', ms: 2 } };
const FAST_CLIENT = { baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 250 };

// The reference catalog as an EU probe sees it: the fixture's models answer 451.
let emulator: NgcEmulator;
// The EU models plus a few others: enough for the tests that need no 180 models.
let small: NgcEmulator;
let euList: EuListEntry[];
let dir: string;

beforeAll(async () => {
  euList = parseEuList(await readFile(referenceEuRestrictedPath, 'utf8'), 'fixture');
  const euRestricted = euList.map((entry) => entry.resourceId);
  emulator = await startNgcEmulator({ euRestricted, faults: [LATENCY] });
  const ids = new Set(euRestricted);
  const catalog = [
    ...emulator.catalog.filter((model) => ids.has(`${model.namespace}/${model.name}`)),
    ...emulator.catalog.filter((model) => !ids.has(`${model.namespace}/${model.name}`)).slice(0, 8),
  ];
  small = await startNgcEmulator({ catalog, euRestricted, faults: [LATENCY] });
});

afterAll(async () => {
  await Promise.all([emulator.stop(), small.stop()]);
});

beforeEach(async () => {
  for (const server of [emulator, small]) {
    server.reset();
    server.setFaults([LATENCY]);
  }
  dir = await mkdtemp(join(tmpdir(), 'nim-detect-eu-'));
  return () => rm(dir, { recursive: true, force: true });
});

async function detectEu(
  args: string[],
  server: NgcEmulator = small,
): Promise<{ code: number; io: MemoryIo }> {
  const io = createMemoryIo({
    cwd: dir,
    env: { NGC_API_KEY: EMULATOR_VALID_KEY },
    ngcClientOptions: FAST_CLIENT,
  });
  const code = await run(['detect-eu', '--base-url', server.url, ...args], io);
  expect(io.out() + io.err()).not.toContain(EMULATOR_VALID_KEY);
  return { code, io };
}

describe('detect-eu against the emulator', { timeout: 30_000 }, () => {
  it('writes the models answering 451, sorted, in the EU list format', async () => {
    const { code, io } = await detectEu(['--output', 'eu.json'], emulator);
    expect(code).toBe(EXIT_CODES.ok);
    const text = await readFile(join(dir, 'eu.json'), 'utf8');
    expect(text).toBe(serializeEuList(euList));
    const ids = parseEuList(text, 'out').map((entry) => entry.resourceId);
    expect(ids).toEqual(euList.map((entry) => entry.resourceId).sort());
    expect(io.err()).toContain(
      `Probed ${emulator.catalog.length} models: ${euList.length} answered 451`,
    );
  });

  it('prints the list on stdout without --output', async () => {
    const { code, io } = await detectEu([]);
    expect(code).toBe(EXIT_CODES.ok);
    expect(io.out()).toBe(serializeEuList(euList));
  });

  it('refuses an incomplete probe and leaves the old list untouched', async () => {
    await writeFile(join(dir, 'eu.json'), '[]\n');
    const restricted = new Set(euList.map((entry) => entry.name));
    const target = small.catalog.find((model) => !restricted.has(model.name))!;
    small.addFault({
      fault: { type: 'status', status: 503 },
      route: 'details',
      model: target.name,
    });
    const { code, io } = await detectEu(['--output', 'eu.json']);
    expect(code).toBe(EXIT_CODES.ngc);
    expect(io.err()).toContain(`failed: ${target.namespace}/${target.name}: NGC model details`);
    expect(io.err()).toContain('--allow-failures');
    expect(await readFile(join(dir, 'eu.json'), 'utf8')).toBe('[]\n');
    expect(await readdir(dir)).toEqual(['eu.json']);
  });
});
