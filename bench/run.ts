/**
 * Runs every benchmark module in this folder (`*.bench.ts`, each exporting
 * `async function run(): Promise<void>`), one after another, in file-name order.
 *
 *   npm run bench              # all of them
 *   npm run bench -- metadata  # only those whose file name contains "metadata"
 *
 * Benchmarks print their figures and PASS/FAIL per target; a FAIL does not change the exit code
 * (timings depend on the machine). A benchmark that throws does.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

interface BenchModule {
  run?: unknown;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = (await readdir(here))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

if (files.length === 0) console.log(`No benchmark matches ${filters.join(', ') || '*.bench.ts'}.`);
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const started = performance.now();
  try {
    const module = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
    if (typeof module.run !== 'function') throw new Error(`${file} does not export run()`);
    await (module.run as () => Promise<void>)();
    console.log(`=== ${file}: done in ${((performance.now() - started) / 1000).toFixed(1)} s ===`);
  } catch (error) {
    console.error(`=== ${file}: failed:`, error);
    process.exitCode = 1;
  }
}
