import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { controlPlaneInfo, userToken } from '@odh-nim/testkit/vitest';

import { API_PATHS, modelsResponseSchema } from '../src/api/types.js';
import { main } from '../src/server/main.js';
import { findLeaks, startHarness, type Harness } from './harness.js';

describe('serving the frontend', () => {
  let harness: Harness;
  let webDir: string;

  beforeAll(async () => {
    webDir = await mkdtemp(join(tmpdir(), 'nim-web-'));
    await mkdir(join(webDir, 'assets'));
    await writeFile(join(webDir, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(webDir, 'assets', 'app.js'), 'console.log(1);');
    harness = await startHarness({ config: { webDir } });
  });
  afterAll(async () => {
    expect(findLeaks(harness)).toEqual([]);
    await harness.close();
    await rm(webDir, { recursive: true, force: true });
  });

  it('serves index.html, assets, and falls back to index.html for app routes', async () => {
    const index = await harness.call({ url: '/', as: 'anonymous' });
    expect(index.status).toBe(200);
    expect(index.text).toContain('id="root"');
    const asset = await harness.call({ url: '/assets/app.js', as: 'anonymous' });
    expect(asset.status).toBe(200);
    expect(asset.text).toBe('console.log(1);');
    const route = await harness.call({ url: '/projects/demo/deploy?step=2', as: 'anonymous' });
    expect(route.status).toBe(200);
    expect(route.text).toContain('id="root"');
  });

  it('never answers an API path with the frontend', async () => {
    const response = await harness.call({ url: '/api/unknown' });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'not-found' });
  });

  it('answers an unchanged catalog with 304 for its ETag', async () => {
    const first = await harness.call({ url: API_PATHS.models });
    const etag = String(first.headers.etag);
    const second = await harness.app.inject({
      url: API_PATHS.models,
      headers: { authorization: `Bearer ${userToken('alice')}`, 'if-none-match': etag },
    });
    expect(second.statusCode).toBe(304);
    expect(second.body).toBe('');
  });
});

describe('main', () => {
  it('starts from flags and a kubeconfig file, and stops on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nim-main-'));
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, controlPlaneInfo().adminKubeconfig);
    const app = await main(
      ['--kubeconfig', kubeconfig, '-n', 'nim-main-apps', '--port', '0', '--web-dir', dir],
      { LOG_LEVEL: 'silent' },
    );
    try {
      expect(app).toBeDefined();
      const { port } = app?.server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}${API_PATHS.models}`, {
        headers: { authorization: `Bearer ${userToken('alice')}` },
      });
      expect(response.status).toBe(200);
      const body = modelsResponseSchema.parse(await response.json());
      expect(body.state).toBe('catalog-not-installed');
      expect(body.source.namespace).toBe('nim-main-apps');
    } finally {
      await app?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
