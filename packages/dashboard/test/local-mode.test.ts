// `npm start`'s local mode, end to end through its oauth-proxy stand-in: what a new user meets
// first must keep working. It starts a control plane of its own (the shared one has no
// `opendatahub` namespace to spare).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  DEMO_PROJECT,
  startLocalDashboard,
  type LocalDashboard,
} from '../src/local/local-dashboard.js';

describe('local mode (npm start)', () => {
  let local: LocalDashboard;

  beforeAll(async () => {
    local = await startLocalDashboard({ port: 0, buildWeb: false });
  }, 180_000);

  afterAll(async () => {
    await local?.stop();
  });

  const get = async (path: string, init?: RequestInit): Promise<Response> =>
    fetch(new URL(path, local.url), init);

  it('serves the shipped catalog, read with only the shipped RBAC', async () => {
    const response = await get('/api/nim/models');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { state: string; models: unknown[] };
    expect(body.state).toBe('ready');
    expect(body.models.length).toBeGreaterThan(100);
  });

  it('finds both runtime Templates', async () => {
    const body = (await (await get('/api/nim/config')).json()) as {
      templates: { installed: boolean }[];
    };
    expect(body.templates.map((t) => t.installed)).toEqual([true, true]);
  });

  it('acts as the demo user: allowed in the demo project, refused elsewhere', async () => {
    expect((await get(`/api/namespaces/${DEMO_PROJECT}/nim/deployments`)).status).toBe(200);
    expect((await get('/api/namespaces/opendatahub/nim/deployments')).status).toBe(403);
  });

  it('ignores a token the browser sends, as oauth-proxy does', async () => {
    const response = await get(`/api/namespaces/${DEMO_PROJECT}/nim/deployments`, {
      headers: { authorization: 'Bearer not-a-real-token' },
    });
    expect(response.status).toBe(200);
  });

  it('refuses a request whose Host is not loopback (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const url = new URL(local.url);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const call = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/api/nim/config',
          headers: { host: 'evil.example' },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      call.on('error', reject);
      call.end();
    });
    expect(status).toBe(421);
  });
});
