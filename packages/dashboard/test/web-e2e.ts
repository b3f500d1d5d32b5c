// Shared set-up of the browser tests: the production bundle (built once when stale), the real
// backend listening on 127.0.0.1 with the EU-flagged reference catalog, and Debian's chromium
// driven by playwright-core with oauth-proxy's identity header.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { chromium, type Browser, type BrowserContext } from 'playwright-core';

import { buildModelsConfigMap, parseModelsConfigMap } from '@odh-nim/contract';
import { CHROMIUM_ARGS, chromiumPath } from '@odh-nim/testkit';
import { referenceCatalogPath, referenceEuRestrictedPath } from '@odh-nim/testkit';
import { userToken } from '@odh-nim/testkit/vitest';

import { IDENTITY_HEADERS, modelsResponseSchema } from '../src/api/types.js';
import { startHarness, type Caller, type Harness } from './harness.js';

const packageDir = fileURLToPath(new URL('../', import.meta.url));
/** Where `npm run build:web -w packages/dashboard` writes the bundle the backend serves. */
export const WEB_DIST_DIR = join(packageDir, 'dist', 'web');
const viteConfig = join(packageDir, 'vite.config.ts');

/** Sources the bundle is made from: a change to any of them makes `dist/web` stale. */
const BUNDLE_SOURCES = [
  join(packageDir, 'src', 'web'),
  join(packageDir, 'src', 'api'),
  fileURLToPath(new URL('../../contract/src/', import.meta.url)),
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
export function isWebBundleStale(): boolean {
  const index = join(WEB_DIST_DIR, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return BUNDLE_SOURCES.some((source) => existsSync(source) && newestMtime(source) > built);
}

/**
 * Runs `vite build` in a child process when the bundle is stale. NB: a child, because vitest
 * sets NODE_ENV=test, which would make vite bundle React's development build.
 */
export async function ensureWebBundle(): Promise<void> {
  if (!isWebBundleStale()) return;
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
}

/** The reference catalog (180 models) with the reference EU-restricted list merged in. */
export async function buildReferenceCatalogConfigMap(namespace: string) {
  const catalog = parseModelsConfigMap(await readFile(referenceCatalogPath, 'utf8'), {
    strict: true,
  });
  const eu = JSON.parse(await readFile(referenceEuRestrictedPath, 'utf8')) as { name: string }[];
  const restricted = new Set(eu.map((item) => item.name));
  return buildModelsConfigMap(
    catalog.models.map((model) => ({ ...model, euRestricted: restricted.has(model.name) })),
    { namespace },
  );
}

/** Launches headless chromium; playwright gives each launch a fresh user-data-dir. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
}

/** Everything a browser test needs. */
export interface WebHarness {
  harness: Harness;
  browser: Browser;
  /** `http://127.0.0.1:<port>` of the backend serving the bundle. */
  baseUrl: string;
  /** A browser context acting as `user`, the way oauth-proxy forwards the token. */
  newContext(user: Exclude<Caller, 'anonymous'>): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Builds the bundle if stale, starts the backend on the EU-flagged reference catalog and the
 * runtime Templates, waits until the catalog is served, and launches chromium.
 */
export async function startWebHarness(): Promise<WebHarness> {
  await ensureWebBundle();
  const harness = await startHarness({ catalog: false, config: { webDir: WEB_DIST_DIR } });
  try {
    await harness.core.createNamespacedConfigMap({
      namespace: harness.appsNamespace,
      body: await buildReferenceCatalogConfigMap(harness.appsNamespace),
    });
    await harness.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = harness.app.server.address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForCatalog(baseUrl);
    const browser = await launchChromium();
    return {
      harness,
      browser,
      baseUrl,
      newContext: (user) =>
        browser.newContext({
          viewport: { width: 1440, height: 900 },
          extraHTTPHeaders: { [IDENTITY_HEADERS.forwardedAccessToken]: userToken(user) },
        }),
      async close() {
        await browser.close();
        await harness.close();
      },
    };
  } catch (error) {
    await harness.close();
    throw error;
  }
}

// The catalog ConfigMap is created after the backend started; its watch picks it up shortly.
async function waitForCatalog(baseUrl: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await fetch(`${baseUrl}/api/nim/models`, {
      headers: { [IDENTITY_HEADERS.forwardedAccessToken]: userToken('alice') },
    });
    const body = modelsResponseSchema.safeParse(await response.json());
    if (body.success && body.data.state === 'ready' && body.data.models.length > 0) return;
    if (Date.now() > deadline) throw new Error('The backend never served the catalog.');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
