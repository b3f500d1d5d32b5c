// Shared set-up of the browser tests: the production bundle (built once when stale), the real
// backend listening on 127.0.0.1 with the EU-flagged reference catalog, and Debian's chromium
// driven by playwright-core with oauth-proxy's identity header.
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';

import { chromium, type Browser, type BrowserContext } from 'playwright-core';

import { buildModelsConfigMap, parseModelsConfigMap } from '@odh-nim/contract';
import {
  CHROMIUM_ARGS,
  chromiumPath,
  referenceCatalogPath,
  referenceEuRestrictedPath,
} from '@odh-nim/testkit';
import { userToken } from '@odh-nim/testkit/vitest';

import { IDENTITY_HEADERS, modelsResponseSchema } from '../src/api/types.js';
import { ensureWebBuild, WEB_BUILD_DIR } from '../src/local/web-assets.js';
import { startHarness, type Caller, type Harness } from './harness.js';

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
  await ensureWebBuild();
  const harness = await startHarness({ catalog: false, config: { webDir: WEB_BUILD_DIR } });
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
