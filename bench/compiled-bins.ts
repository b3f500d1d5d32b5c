/**
 * The three bins as they ship: compiled by `tsc -b` and run with plain Node. Benchmarks that
 * time a bin call {@link buildPackages} first; it is incremental, so a current build costs a
 * second or two.
 */
import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Each bin's entry point, relative to the repository root. */
export const BINS = {
  'nim-metadata': 'packages/metadata-cli/bin/nim-metadata.js',
  'nim-upgrade': 'packages/upgrade/bin/nim-upgrade.js',
  'nim-dashboard': 'packages/dashboard/bin/nim-dashboard.js',
} as const;
export type BinName = keyof typeof BINS;

/**
 * Runs `tsc -b tsconfig.build.json`. Type errors are reported and the emitted output is still
 * timed (tsc -b emits despite them); a build that emits nothing throws when a bin runs.
 */
export async function buildPackages(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const started = performance.now();
  try {
    await promisify(execFile)(process.execPath, [tsc, '-b', 'tsconfig.build.json'], {
      cwd: repoRoot,
    });
    console.log(`Build (tsc -b): ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout ?? '';
    console.warn(`Build (tsc -b) reported errors; timing what it emitted:\n${stdout.trim()}`);
  }
}

/** What a finished child process left. */
export interface BinRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From spawn to exit, in ms. */
  ms: number;
}

/** Runs `node <bin> ...args` to completion, timing it from spawn to exit. */
export function runBin(
  bin: BinName,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<BinRun> {
  return runNode([join(repoRoot, BINS[bin]), ...args], env);
}

/** Runs `node ...args` to completion, timing it from spawn to exit. */
export function runNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<BinRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...args], { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code, stdout, stderr, ms: performance.now() - started }),
    );
  });
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/** `1234` as `1.23 s`, `123` as `123 ms`. */
export function formatMs(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;
}

export function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'FAIL';
}
