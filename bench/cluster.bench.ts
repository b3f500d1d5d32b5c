/**
 * Start time of each tier of the test cluster, measured side by side in one run: the control
 * plane (etcd + kube-apiserver), plus kube-controller-manager (the integration project), plus
 * kube-scheduler and a node (the cluster project). Binaries and images already built; medians
 * of a few cold starts each. The node tier needs root.
 *
 * Target: every tier ready in under 30 s on the 2-core machine, so the suite's fixed cost stays
 * small. Never exits non-zero for a FAIL.
 */
import { startControlPlane, type ControlPlaneOptions } from '@odh-nim/testkit';

const RUNS = 3;
const TARGET_MS = 30_000;

const TIERS: readonly { name: string; options: ControlPlaneOptions }[] = [
  { name: 'control plane', options: { controllers: false } },
  { name: '+ controllers', options: { controllers: true } },
  { name: '+ node', options: { node: true } },
];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<void> {
  const quiet = { onProgress: () => undefined };
  // One start first, so a missing binary or image is built before anything is timed.
  await (await startControlPlane({ node: process.getuid?.() === 0, ...quiet })).stop();
  for (const tier of TIERS) {
    if (tier.options.node && process.getuid?.() !== 0) {
      console.log(`${tier.name.padEnd(15)} skipped: a node needs root`);
      continue;
    }
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const plane = await startControlPlane({ ...tier.options, ...quiet });
      times.push(plane.startDurationMs);
      await plane.stop();
    }
    const ms = median(times);
    const verdict = ms < TARGET_MS ? 'PASS' : 'FAIL';
    console.log(
      `${tier.name.padEnd(15)} ready in ${(ms / 1000).toFixed(1)} s (median of ${RUNS}: ${times
        .map((t) => (t / 1000).toFixed(1))
        .join(', ')} s)  target < ${TARGET_MS / 1000} s  ${verdict}`,
    );
  }
}
