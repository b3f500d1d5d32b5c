/**
 * `nim-metadata generate` against the NGC emulator replaying the reference catalog, with a fixed
 * latency per request, compared with a sequential fetch (what the reference shell script does:
 * catalog pages, then each model's details in turn) and with the floor the concurrency limit
 * sets. Then the catalog's size per model and the largest catalog that fits in a ConfigMap.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
import { DEFAULT_CONCURRENCY, run as runCli } from '@odh-nim/metadata-cli';
import { EMULATOR_VALID_KEY, startNgcEmulator, type NgcEmulator } from '@odh-nim/testkit';

const LATENCY_MS = 100;
const CONCURRENCIES = [8, 16];
const TARGET_SPEEDUP = 10;
const TARGET_FLOOR_RATIO = 1.5;

export async function run(): Promise<void> {
  const emulator = await startNgcEmulator({
    faults: [{ fault: { type: 'latency', ms: LATENCY_MS } }],
  });
  const dir = await mkdtemp(join(tmpdir(), 'nim-bench-'));
  try {
    const models = emulator.catalog.length;
    console.log(`Emulator: ${models} models, ${LATENCY_MS} ms per request.`);

    const sequential = await timeSequentialFetch(emulator);
    console.log(
      `Sequential fetch (${sequential.pages} catalog page(s) + ${sequential.models} details, one ` +
        `at a time): ${ms(sequential.ms)}`,
    );

    let output = '';
    for (const concurrency of CONCURRENCIES) {
      output = join(dir, `catalog-${concurrency}.yaml`);
      emulator.reset();
      emulator.setFaults([{ fault: { type: 'latency', ms: LATENCY_MS } }]);
      const elapsed = await timeGenerate(emulator, output, concurrency);
      const floor = (Math.ceil(models / concurrency) + sequential.pages) * LATENCY_MS;
      const speedup = sequential.ms / elapsed;
      const overFloor = elapsed / floor;
      console.log(
        `\nnim-metadata generate, --concurrency ${concurrency}${concurrency === DEFAULT_CONCURRENCY ? ' (default)' : ''}:`,
      );
      console.log(
        `  wall time            ${ms(elapsed)} (max ${emulator.stats.maxInFlight} in flight)`,
      );
      console.log(
        `  vs sequential        ${speedup.toFixed(1)}x faster  ${verdict(speedup >= TARGET_SPEEDUP)} (target >= ${TARGET_SPEEDUP}x)`,
      );
      console.log(
        `  floor                ${ms(floor)} = (ceil(${models}/${concurrency}) + ${sequential.pages} page) x ${LATENCY_MS} ms`,
      );
      console.log(
        `  vs floor             ${overFloor.toFixed(2)}x  ${verdict(overFloor <= TARGET_FLOOR_RATIO)} (target <= ${TARGET_FLOOR_RATIO}x; includes 1 key validation request)`,
      );
    }
    const needed = minimumConcurrency(models, sequential.pages, sequential.ms);
    console.log(
      `\n  >= ${TARGET_SPEEDUP}x over sequential needs --concurrency >= ${needed} at this latency ` +
        `(floor + key validation <= sequential / ${TARGET_SPEEDUP}).`,
    );

    await reportSizes(await readFile(output, 'utf8'));
  } finally {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The reference script's way: every request waits for the previous one. */
async function timeSequentialFetch(
  emulator: NgcEmulator,
): Promise<{ ms: number; pages: number; models: number }> {
  const started = performance.now();
  const ids: string[] = [];
  let pages = 0;
  for (let page = 0; ; page += 1) {
    const q = JSON.stringify({ query: 'orgName:nim', page, pageSize: 1000 });
    const url = `${emulator.url}/v2/search/catalog/resources/CONTAINER?q=${encodeURIComponent(q)}`;
    const body = (await (await fetch(url)).json()) as {
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
    const url = `${emulator.url}/v2/org/${org}/team/${team}/repos/${name}?resolve-labels=true`;
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${EMULATOR_VALID_KEY}` },
    });
    await response.json();
  }
  return { ms: performance.now() - started, pages, models: ids.length };
}

/** The CLI's generate path, in-process, output discarded. */
async function timeGenerate(
  emulator: NgcEmulator,
  output: string,
  concurrency: number,
): Promise<number> {
  let stderr = '';
  const started = performance.now();
  const code = await runCli(
    ['generate', '--base-url', emulator.url, '-o', output, '--concurrency', String(concurrency)],
    {
      stdout: { write: () => true },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      stdin: [],
      env: { NGC_API_KEY: EMULATOR_VALID_KEY },
      isTTY: false,
    },
  );
  const elapsed = performance.now() - started;
  if (code !== 0) throw new Error(`generate exited ${code}: ${stderr}`);
  return elapsed;
}

function minimumConcurrency(models: number, pages: number, sequentialMs: number): number {
  for (let concurrency = 1; concurrency <= models; concurrency += 1) {
    const floor = (Math.ceil(models / concurrency) + pages + 1) * LATENCY_MS;
    if (floor * TARGET_SPEEDUP <= sequentialMs) return concurrency;
  }
  return models;
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

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;
}

function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'FAIL';
}
