/**
 * Dashboard frontend: production bundle size and time to first render of the deploy wizard.
 *
 * - Bundle: `vite build` of packages/dashboard (as `npm run build:web`), then the bytes of every
 *   JS and CSS asset, raw and gzipped (zlib level 6, what a server typically sends).
 * - First render: headless Debian chromium (playwright-core) opens the wizard's model step with
 *   the 180-model reference catalog (EU flags merged). The bundle is served from 127.0.0.1 with
 *   the API answered from memory, so the figure is the frontend's own cost: download, parse,
 *   React render. Measured in the page from navigation start (a MutationObserver) to the first
 *   model card in the DOM (first render: the gallery renders 24 cards, then the rest a frame at
 *   a time) and to the 180th, in a fresh browser context each run (cold cache).
 *
 * Targets: JS gzip < 350 KB; first render median < 1500 ms. Never exits non-zero for a FAIL.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

import { chromium, type Browser } from 'playwright-core';

import type { ModelEntry } from '@odh-nim/contract';
import {
  CHROMIUM_ARGS,
  chromiumPath,
  loadReferenceCatalog,
  loadReferenceEuRestricted,
} from '@odh-nim/testkit';

import type {
  ConfigResponse,
  DeploymentsResponse,
  ModelsResponse,
} from '../packages/dashboard/src/api/types.js';

const RUNS = 7;
const TARGET_JS_GZIP_KB = 350;
const TARGET_FIRST_RENDER_MS = 1500;

const dashboardDir = fileURLToPath(new URL('../packages/dashboard/', import.meta.url));
const webDir = join(dashboardDir, 'dist', 'web');

export async function run(): Promise<void> {
  const builtIn = await buildBundle();
  console.log(`vite build: ${(builtIn / 1000).toFixed(1)} s`);
  const sizes = await measureBundle();
  for (const kind of ['js', 'css'] as const) {
    const { raw, gzip, files } = sizes[kind];
    console.log(
      `bundle ${kind.toUpperCase()}: ${kb(raw)} KB raw, ${kb(gzip)} KB gzip (${files} file${files === 1 ? '' : 's'})`,
    );
  }
  console.log(
    `bundle JS gzip ${kb(sizes.js.gzip)} KB (target < ${TARGET_JS_GZIP_KB} KB): ${verdict(sizes.js.gzip / 1024 < TARGET_JS_GZIP_KB)}`,
  );

  const models = await loadCatalog();
  const server = await serveBundle(models);
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...CHROMIUM_ARGS],
  });
  try {
    const first: number[] = [];
    const all: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const timing = await firstRender(browser, server.url, models.length);
      if (i === 0) continue; // the first run warms chromium itself up
      first.push(timing.first);
      all.push(timing.all);
    }
    const firstMedian = describeRuns('first render (first cards)', first);
    describeRuns(`all ${models.length} cards rendered`, all);
    console.log(
      `first render median (target < ${TARGET_FIRST_RENDER_MS} ms): ${verdict(firstMedian < TARGET_FIRST_RENDER_MS)}`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Prints median, min and max of `runs`; returns the median. */
function describeRuns(label: string, runs: number[]): number {
  const sorted = [...runs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  console.log(
    `wizard model step, ${label}: median ${median.toFixed(0)} ms, min ${(sorted[0] ?? Number.NaN).toFixed(0)} ms, ` +
      `max ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} ms (${sorted.length} cold runs)`,
  );
  return median;
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'FAIL';
}

// A child process: the production build needs NODE_ENV=production whatever the caller set.
async function buildBundle(): Promise<number> {
  const started = performance.now();
  const viteBin = join(
    createRequire(join(dashboardDir, 'package.json')).resolve('vite/package.json'),
    '..',
    'bin',
    'vite.js',
  );
  await promisify(execFile)(
    process.execPath,
    [viteBin, 'build', '--config', join(dashboardDir, 'vite.config.ts'), '--logLevel', 'error'],
    { cwd: dashboardDir, env: { ...process.env, NODE_ENV: 'production' } },
  );
  return performance.now() - started;
}

interface Sizes {
  raw: number;
  gzip: number;
  files: number;
}

async function measureBundle(): Promise<{ js: Sizes; css: Sizes }> {
  const result = {
    js: { raw: 0, gzip: 0, files: 0 },
    css: { raw: 0, gzip: 0, files: 0 },
  };
  const assets = join(webDir, 'assets');
  for (const file of await readdir(assets)) {
    const kind = extname(file) === '.js' ? 'js' : extname(file) === '.css' ? 'css' : undefined;
    if (!kind) continue;
    const bytes = await readFile(join(assets, file));
    result[kind].raw += bytes.length;
    result[kind].gzip += gzipSync(bytes, { level: 6 }).length;
    result[kind].files += 1;
  }
  return result;
}

async function loadCatalog(): Promise<ModelEntry[]> {
  const restricted = new Set((await loadReferenceEuRestricted()).map((id) => id.split('/').pop()));
  return (await loadReferenceCatalog()).map((model) => ({
    ...model,
    euRestricted: restricted.has(model.name),
  }));
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/** The built bundle plus the API answers the wizard needs, from memory, on 127.0.0.1. */
async function serveBundle(
  models: ModelEntry[],
): Promise<{ url: string; close: () => Promise<void> }> {
  const source = { name: 'nvidia-nim-models-data', namespace: 'opendatahub', custom: false };
  const api: Record<string, unknown> = {
    '/api/nim/config': {
      enabled: true,
      keyValidation: true,
      keyCollection: true,
      applicationsNamespace: 'opendatahub',
      catalogSource: source,
      catalogState: 'ready',
      registry: 'nvcr.io',
      templates: [
        { protocol: 'http', name: 'nvidia-nim-runtime-http', installed: true },
        { protocol: 'grpc', name: 'nvidia-nim-runtime-grpc', installed: true },
      ],
      nimConfigCrd: { state: 'supported' },
    } satisfies ConfigResponse,
    '/api/nim/models': { state: 'ready', source, models, warnings: [] } satisfies ModelsResponse,
    '/api/projects': { projects: [{ name: 'bench' }] },
    '/api/whoami': { username: 'bench', groups: [] },
    '/api/namespaces/bench/nim/deployments': { deployments: [] } satisfies DeploymentsResponse,
    '/api/namespaces/bench/nim/api-key': { exists: false },
  };
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path in api) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(api[path]));
      return;
    }
    const file = join(webDir, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  };
  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function firstRender(
  browser: Browser,
  url: string,
  count: number,
): Promise<{ first: number; all: number }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    // Records, in page time (ms since navigation start), when the first and last cards appear.
    await page.addInitScript((expected: number) => {
      const marks: { first?: number; all?: number } = {};
      (window as unknown as { __nimRender: typeof marks }).__nimRender = marks;
      const observer = new MutationObserver(() => {
        const cards = document.querySelectorAll('[data-testid="model-card"]').length;
        if (cards > 0 && marks.first === undefined) marks.first = performance.now();
        if (cards >= expected) {
          marks.all = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    }, count);
    await page.goto(`${url}/#/projects/bench/deploy`);
    const handle = await page.waitForFunction(
      () => {
        const marks = (window as unknown as { __nimRender: { first?: number; all?: number } })
          .__nimRender;
        return marks.all === undefined ? undefined : marks;
      },
      undefined,
      { timeout: 30_000 },
    );
    const marks = (await handle.jsonValue()) as { first: number; all: number };
    return { first: marks.first, all: marks.all };
  } finally {
    await context.close();
  }
}
