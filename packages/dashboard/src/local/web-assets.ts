import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const viteConfig = join(packageDir, 'vite.config.ts');
/** Where `npm run build:web -w packages/dashboard` writes the bundle the backend serves. */
export const WEB_BUILD_DIR = join(packageDir, 'dist', 'web');

/** Sources the bundle is made from: a change to any of them makes `dist/web` stale. */
const BUNDLE_SOURCES = [
  join(packageDir, 'src', 'web'),
  join(packageDir, 'src', 'api'),
  fileURLToPath(new URL('../../../contract/src/', import.meta.url)),
  viteConfig,
];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when `dist/web` is missing or older than a source of the bundle. */
export function isWebBuildStale(): boolean {
  const index = join(WEB_BUILD_DIR, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return BUNDLE_SOURCES.some((source) => existsSync(source) && newestMtime(source) > built);
}

/**
 * Runs `vite build` into `dist/web` when the bundle is stale; returns whether it built. NB: in a
 * child process with NODE_ENV=production: under vitest (NODE_ENV=test) an in-process build
 * would bundle React's development build.
 */
export async function ensureWebBuild(): Promise<boolean> {
  if (!isWebBuildStale()) return false;
  const viteBin = join(
    createRequire(import.meta.url).resolve('vite/package.json'),
    '..',
    'bin',
    'vite.js',
  );
  await promisify(execFile)(
    process.execPath,
    [viteBin, 'build', '--config', viteConfig, '--logLevel', 'error'],
    { cwd: packageDir, env: { ...process.env, NODE_ENV: 'production' }, timeout: 180_000 },
  );
  return true;
}
