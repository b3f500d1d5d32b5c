/**
 * Start time of each shipped bin, compiled and run with plain Node: `--version`, median of 10
 * after one warm-up run (the file cache), beside `node -e 0` for what Node itself costs.
 * Target: under 150 ms each.
 */
import {
  BINS,
  buildPackages,
  formatMs,
  median,
  runBin,
  runNode,
  verdict,
  type BinName,
} from './compiled-bins.js';

const RUNS = 10;
const TARGET_MS = 150;

export async function run(): Promise<void> {
  await buildPackages();
  const node = await timeRuns(() => runNode(['-e', '0']));
  console.log(`node -e 0 (Node itself)   median ${formatMs(node)} of ${RUNS}`);
  for (const bin of Object.keys(BINS) as BinName[]) {
    const ms = await timeRuns(async () => {
      const result = await runBin(bin, ['--version']);
      if (result.code !== 0)
        throw new Error(`${bin} --version exited ${result.code}: ${result.stderr}`);
      return result;
    });
    console.log(
      `${`${bin} --version`.padEnd(26)} median ${formatMs(ms)} of ${RUNS}  ` +
        `${verdict(ms < TARGET_MS)} (target < ${TARGET_MS} ms)`,
    );
  }
}

async function timeRuns(once: () => Promise<{ ms: number }>): Promise<number> {
  await once();
  const times: number[] = [];
  for (let index = 0; index < RUNS; index += 1) times.push((await once()).ms);
  return median(times);
}
