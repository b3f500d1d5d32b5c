import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_SOURCE_DIR = join(packageDir, 'src/web');
export const WEB_BUILD_DIR = join(packageDir, 'dist/web');

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}

/** True when the built frontend is missing or older than any source file of it. */
export async function isWebBuildStale(): Promise<boolean> {
  const built = await stat(join(WEB_BUILD_DIR, 'index.html')).catch(() => undefined);
  if (!built) return true;
  return (await newestMtime(WEB_SOURCE_DIR)) > built.mtimeMs;
}

/** Builds the frontend with Vite into `dist/web` when it is stale. Returns whether it built. */
export async function ensureWebBuild(): Promise<boolean> {
  if (!(await isWebBuildStale())) return false;
  const { build } = await import('vite');
  await build({ configFile: join(packageDir, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}
