/**
 * `nim-metadata generate` as a user runs it: the compiled bin, a whole process, against the NGC
 * emulator over TLS answering every request after 100 ms, side by side with a sequential fetch
 * (what the reference shell script does) and with its floor at the width it reached (see
 * bench/README.md). Then the same run under the emulator's token-bucket rate limit. Then the
 * catalog's size per model and the largest catalog that fits in a ConfigMap.
 */
import { Agent, request } from 'node:https';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  buildModelsConfigMap,
  configMapDataBytes,
  formatBytes,
  MAX_CONFIGMAP_DATA_BYTES,
  parseModelsConfigMap,
  type ModelEntry,
} from '@odh-nim/contract';
import { DEFAULT_CONCURRENCY } from '@odh-nim/metadata-cli';
import { ADAPTIVE_CONCURRENCY_DEFAULTS } from '@odh-nim/ngc';
import {
  createEmulatorTls,
  EMULATOR_VALID_KEY,
  loadReferenceCatalog,
  startNgcEmulator,
  type NgcEmulator,
  type RateLimit,
} from '@odh-nim/testkit';

import { buildPackages, formatMs, median, runBin, verdict } from './compiled-bins.js';

const LATENCY_MS = 100;
/** The catalog size the issue measured against: the 180 reference models and 6 more. */
const MODELS = 186;
const GENERATE_RUNS = 3;
const RATE_LIMIT: RateLimit = { requestsPerSecond: 20, burst: 40 };
const TARGETS = { speedup: 40, overFloor: 1.2, throttledShare: 0.05, limitUsed: 0.9 };

export async function run(): Promise<void> {
  await buildPackages();
  const catalog = await benchCatalog(MODELS);
  const tls = createEmulatorTls();
  const latency = [{ fault: { type: 'latency' as const, ms: LATENCY_MS } }];
  const emulator = await startNgcEmulator({ catalog, tls, faults: latency });
  const dir = await mkdtemp(join(tmpdir(), 'nim-bench-'));
  const caFile = join(dir, 'emulator-ca.pem');
  await writeFile(caFile, tls.caPem);
  const fresh = (limit?: RateLimit): void => {
    emulator.reset();
    emulator.setFaults(latency);
    emulator.setRateLimit(limit);
  };
  try {
    console.log(
      `Emulator over TLS: ${catalog.length} models, ${LATENCY_MS} ms per request ` +
        `(${catalog.length - 180} derived from reference models to make ${MODELS}).`,
    );
    const sequential = await timeSequentialFetch(emulator, tls.caPem);
    console.log(
      `\nSequential fetch (${sequential.pages} catalog page + ${sequential.models} details, one ` +
        `at a time, one kept-alive connection): ${formatMs(sequential.ms)}`,
    );

    const startup = median(
      await repeat(5, async () => (await runBin('nim-metadata', ['--version'])).ms),
    );
    const output = join(dir, 'catalog.yaml');
    const adaptive = await timeGenerate({ emulator, caFile, output, fresh, runs: GENERATE_RUNS });
    reportGenerate({
      title: `adaptive (default: from ${ADAPTIVE_CONCURRENCY_DEFAULTS.initial}, cap ${DEFAULT_CONCURRENCY})`,
      run: adaptive,
      sequentialMs: sequential.ms,
      startupMs: startup,
      targets: true,
    });
    const fixed = await timeGenerate({
      emulator,
      caFile,
      output,
      fresh,
      runs: 1,
      args: ['--concurrency', '16'],
    });
    reportGenerate({
      title: '--concurrency 16 (the former fixed width)',
      run: fixed,
      sequentialMs: sequential.ms,
      startupMs: startup,
      targets: false,
    });

    const limited = await timeGenerate({
      emulator,
      caFile,
      output,
      fresh: () => fresh(RATE_LIMIT),
      runs: 1,
    });
    reportRateLimited(limited);

    await reportSizes(await readFile(output, 'utf8'));
  } finally {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The reference catalog, plus copies of its first models under new names up to `count`. */
async function benchCatalog(count: number): Promise<ModelEntry[]> {
  const reference = await loadReferenceCatalog();
  const extra = Array.from({ length: Math.max(0, count - reference.length) }, (_, index) => {
    const model = reference[index % reference.length];
    if (!model) throw new Error('the reference catalog is empty');
    return { ...model, name: `${model.name}-copy-${index}` };
  });
  return [...reference, ...extra];
}

/** The reference script's way: every request waits for the previous one. */
async function timeSequentialFetch(
  emulator: NgcEmulator,
  caPem: string,
): Promise<{ ms: number; pages: number; models: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: caPem });
  const started = performance.now();
  const ids: string[] = [];
  let pages = 0;
  try {
    for (let page = 0; ; page += 1) {
      const q = JSON.stringify({ query: 'orgName:nim', page, pageSize: 1000 });
      const body = (await getJson(
        agent,
        `${emulator.url}/v2/search/catalog/resources/CONTAINER?q=${encodeURIComponent(q)}`,
      )) as {
        resultPageTotal: number;
        results: { groupValue: string; resources: { resourceId: string }[] }[];
      };
      pages += 1;
      for (const group of body.results) {
        if (group.groupValue === 'CONTAINER') ids.push(...group.resources.map((r) => r.resourceId));
      }
      if (page >= body.resultPageTotal - 1) break;
    }
    for (const id of ids) {
      const [org, team, name] = id.split('/');
      await getJson(agent, `${emulator.url}/v2/org/${org}/team/${team}/repos/${name}`, {
        Authorization: `Bearer ${EMULATOR_VALID_KEY}`,
      });
    }
  } finally {
    agent.destroy();
  }
  return { ms: performance.now() - started, pages, models: ids.length };
}

function getJson(
  agent: Agent,
  url: string,
  headers: Record<string, string> = {},
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request(url, { agent, headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.once('end', () => resolve(JSON.parse(text)));
      response.once('error', reject);
    })
      .once('error', reject)
      .end();
  });
}

/** One whole-process `generate`, as the emulator saw it. */
interface GenerateRun {
  /** Wall time of each run, spawn to exit. */
  times: number[];
  /** Of the median run: the widest the details fetch went, and the emulator's record. */
  peakWidth: number;
  pages: number;
  requests: NgcEmulator['requests'];
  maxInFlight: number;
}

async function timeGenerate(options: {
  emulator: NgcEmulator;
  caFile: string;
  output: string;
  fresh: () => void;
  runs: number;
  args?: string[];
}): Promise<GenerateRun> {
  const { emulator } = options;
  const runs: Omit<GenerateRun, 'times'>[] = [];
  const times: number[] = [];
  for (let index = 0; index < options.runs; index += 1) {
    options.fresh();
    const result = await runBin(
      'nim-metadata',
      ['generate', '--base-url', emulator.url, '-o', options.output, ...(options.args ?? [])],
      { ...process.env, NGC_API_KEY: EMULATOR_VALID_KEY, NODE_EXTRA_CA_CERTS: options.caFile },
    );
    if (result.code !== 0) throw new Error(`generate exited ${result.code}: ${result.stderr}`);
    const width = /at up to (\d+) in flight/.exec(result.stdout)?.[1];
    const pages = /from (\d+) catalog page/.exec(result.stdout)?.[1];
    times.push(result.ms);
    runs.push({
      peakWidth: Number(width),
      pages: Number(pages),
      requests: [...emulator.requests],
      maxInFlight: emulator.stats.maxInFlight,
    });
  }
  // The run of the median time (the lower middle one for an even count).
  const byTime = times.map((_, index) => index).sort((a, b) => (times[a] ?? 0) - (times[b] ?? 0));
  const chosen = runs[byTime[Math.floor((byTime.length - 1) / 2)] ?? 0];
  if (!chosen) throw new Error('no generate run');
  return { times, ...chosen };
}

/** Requests that must follow one another: the catalog pages (the key check runs alongside the first), then the detail rounds at `width`. */
function floorMs(models: number, pages: number, width: number): number {
  return (pages + Math.ceil(models / width)) * LATENCY_MS;
}

/** The same for an ideal AIMD ramp: the width doubling each round trip from its start. */
function rampFloorMs(models: number, pages: number, start: number, cap: number): number {
  let rounds = 0;
  for (let done = 0, width = start; done < models; rounds += 1, width = Math.min(cap, width * 2)) {
    done += width;
  }
  return (pages + rounds) * LATENCY_MS;
}

function reportGenerate(options: {
  title: string;
  run: GenerateRun;
  sequentialMs: number;
  startupMs: number;
  targets: boolean;
}): void {
  const { run, sequentialMs, startupMs } = options;
  const elapsed = median(run.times);
  const floor = floorMs(MODELS, run.pages, run.peakWidth);
  const ramp = rampFloorMs(MODELS, run.pages, ADAPTIVE_CONCURRENCY_DEFAULTS.initial, run.peakWidth);
  const speedup = sequentialMs / elapsed;
  const overFloor = elapsed / floor;
  const mark = (pass: boolean, target: string): string =>
    options.targets ? `  ${verdict(pass)} (target ${target})` : '';
  console.log(`\nnim-metadata generate, compiled bin, whole process, ${options.title}:`);
  console.log(
    `  wall time            ${formatMs(elapsed)}` +
      (run.times.length > 1
        ? ` (median of ${run.times.map((ms) => formatMs(ms)).join(', ')})`
        : '') +
      `; start-up (--version) ${formatMs(startupMs)}`,
  );
  console.log(
    `  width reached        ${run.peakWidth} in flight (the emulator saw at most ${run.maxInFlight})`,
  );
  console.log(
    `  vs sequential        ${speedup.toFixed(1)}x faster${mark(speedup >= TARGETS.speedup, `>= ${TARGETS.speedup}x`)}`,
  );
  console.log(
    `  floor at that width  ${formatMs(floor)} = (${run.pages} page + ceil(${MODELS}/${run.peakWidth})) x ${LATENCY_MS} ms`,
  );
  console.log(
    `  vs floor             ${overFloor.toFixed(2)}x, start-up included${mark(overFloor <= TARGETS.overFloor, `<= ${TARGETS.overFloor}x`)}`,
  );
  console.log(
    `  floor of the ramp    ${formatMs(ramp)} (doubling from ${ADAPTIVE_CONCURRENCY_DEFAULTS.initial} each round trip): ${(elapsed / ramp).toFixed(2)}x`,
  );
}

function reportRateLimited(run: GenerateRun): void {
  const throttled = run.requests.filter((r) => r.fault === 'rate-limit');
  const accepted = run.requests.filter((r) => r.fault !== 'rate-limit');
  const first = Math.min(...run.requests.map((r) => r.receivedAtMs));
  const lastAccepted = Math.max(...accepted.map((r) => r.receivedAtMs));
  const windowS = (lastAccepted - first) / 1000;
  const capacity = RATE_LIMIT.burst + RATE_LIMIT.requestsPerSecond * windowS;
  const throttledShare = throttled.length / run.requests.length;
  const used = accepted.length / capacity;
  const elapsed = median(run.times);
  console.log(
    `\nnim-metadata generate under a rate limit of ${RATE_LIMIT.requestsPerSecond} requests/s, ` +
      `burst ${RATE_LIMIT.burst} (429 with Retry-After):`,
  );
  console.log(
    `  wall time            ${formatMs(elapsed)}; ${run.requests.length} requests, width reached ` +
      `${run.peakWidth}`,
  );
  console.log(
    `  answered 429         ${throttled.length} (${percent(throttledShare)})  ` +
      `${verdict(throttledShare <= TARGETS.throttledShare)} (target <= ${percent(TARGETS.throttledShare)})`,
  );
  console.log(
    `  share of limit used  ${percent(used)}: ${accepted.length} accepted of the ` +
      `${capacity.toFixed(0)} the bucket allowed in ${windowS.toFixed(2)} s  ` +
      `${verdict(used >= TARGETS.limitUsed)} (target >= ${percent(TARGETS.limitUsed)})`,
  );
}

async function repeat<T>(count: number, once: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let index = 0; index < count; index += 1) results.push(await once());
  return results;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

async function reportSizes(yaml: string): Promise<void> {
  const models = parseModelsConfigMap(yaml, { strict: true }).models;
  const configMap = await buildModelsConfigMap(models);
  const dataBytes = configMapDataBytes(configMap.data);
  const perModel = dataBytes / models.length;
  const fileBytes = new TextEncoder().encode(yaml).length;
  console.log(`\nGenerated ConfigMap: ${models.length} models`);
  console.log(
    `  data (counted against 1 MiB)  ${formatBytes(dataBytes)}, ${perModel.toFixed(0)} bytes per model`,
  );
  console.log(
    `  YAML file                     ${formatBytes(fileBytes)}, ${(fileBytes / models.length).toFixed(0)} bytes per model`,
  );

  const extrapolated = Math.floor(MAX_CONFIGMAP_DATA_BYTES / perModel);
  const synthetic = await syntheticBytes(models, extrapolated);
  let exact = extrapolated;
  // Walk to the exact limit of this synthetic catalog (it is close to the extrapolation).
  if (synthetic === undefined) {
    while (exact > 0 && (await syntheticBytes(models, exact)) === undefined) exact -= 1;
  } else {
    while ((await syntheticBytes(models, exact + 1)) !== undefined) exact += 1;
  }
  const verified = synthetic === undefined ? 'does NOT fit' : `fits (${formatBytes(synthetic)})`;
  console.log(
    `  largest catalog under 1 MiB   ~${extrapolated} models (extrapolated from the mean)`,
  );
  console.log(
    `  verified with the builder     ${extrapolated} synthetic models ${verified}; exact limit ${exact} models`,
  );
}

/**
 * Data bytes of a catalog of `count` models cycling through the real ones, names made unique
 * without changing their length; `undefined` when the builder refuses it (over 1 MiB).
 */
async function syntheticBytes(
  models: readonly ModelEntry[],
  count: number,
): Promise<number | undefined> {
  const synthetic = Array.from({ length: count }, (_, index) => {
    const model = models[index % models.length]!;
    const suffix = index.toString(36).padStart(4, '0');
    const name =
      model.name.length > suffix.length + 1
        ? `${model.name.slice(0, -suffix.length)}${suffix}`
        : `${model.name}${suffix}`;
    return { ...model, name };
  });
  try {
    return configMapDataBytes((await buildModelsConfigMap(synthetic)).data);
  } catch {
    return undefined;
  }
}
