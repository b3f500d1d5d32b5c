// The dashboard's nimConfig settings on the upstream OdhDashboardConfig CRD (when ../shared has
// it): with odh-dashboard's patch (the shared control plane has it) every field is read, both
// spellings of the disconnected switch included; without it (a control plane of its own) the
// backend says, at /api/nim/config and in its start log, why the settings have no effect.
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { API, CRD_PATCH_FILES, DASHBOARD_CONFIG_NAME } from '@odh-nim/contract';
import {
  createTestNamespace,
  selectCrdSet,
  startControlPlane,
  type ControlPlane,
} from '@odh-nim/testkit';

import { API_PATHS, configResponseSchema, type ConfigResponse } from '../src/api/types.js';
import { createServer } from '../src/server/server.js';
import {
  findLeaks,
  grantBackendReader,
  installReferenceCatalog,
  startHarness,
  type Harness,
} from './harness.js';

const BACKEND_USER = 'system:serviceaccount:nim-tests:odh-dashboard';

async function configOf(harness: Harness): Promise<ConfigResponse> {
  const response = await harness.call({ url: API_PATHS.config });
  expect(response.status).toBe(200);
  return configResponseSchema.parse(response.body);
}

describe('nimConfig on the patched OdhDashboardConfig CRD', () => {
  const harnesses: Harness[] = [];

  afterAll(async () => {
    for (const harness of harnesses) {
      expect(findLeaks(harness)).toEqual([]);
      await harness.close();
    }
  });

  it('reads customConfigMap and nimConfig.disconnected.disableKeyCollection', async () => {
    const harness = await startHarness({
      dashboardConfig: {
        nimConfig: {
          customConfigMap: { name: 'mirror-catalog' },
          disconnected: { disableKeyCollection: true },
        },
      },
    });
    harnesses.push(harness);
    const config = await configOf(harness);
    expect(config).toMatchObject({
      keyCollection: false,
      keyValidation: true,
      catalogSource: { name: 'mirror-catalog', namespace: harness.appsNamespace, custom: true },
      nimConfigCrd: { state: 'supported' },
    });
  });

  it('reads nimConfig.disableKeyCollection and disableKeyValidation', async () => {
    const harness = await startHarness({
      dashboardConfig: { nimConfig: { disableKeyCollection: true, disableKeyValidation: true } },
    });
    harnesses.push(harness);
    expect(await configOf(harness)).toMatchObject({
      keyCollection: false,
      keyValidation: false,
      catalogSource: { custom: false },
      nimConfigCrd: { state: 'supported' },
    });
  });
});

describe('nimConfig on the OdhDashboardConfig CRD without the patch', () => {
  let plane: ControlPlane;
  let admin: KubeConfig;
  let apps: string;
  const logs: string[] = [];
  let app: Awaited<ReturnType<typeof createServer>>;

  beforeAll(async () => {
    plane = await startControlPlane({ crds: selectCrdSet().files });
    admin = plane.adminKubeConfig();
    apps = await createTestNamespace(admin, 'nim-apps');
    await installReferenceCatalog(admin.makeApiClient(CoreV1Api), apps);
    await grantBackendReader(admin, apps);
    // What an admin gets without the patch: every nimConfig field is dropped on write (a strict
    // `kubectl apply` refuses it instead).
    await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      ...API.dashboardConfig,
      namespace: apps,
      body: {
        apiVersion: `${API.dashboardConfig.group}/${API.dashboardConfig.version}`,
        kind: 'OdhDashboardConfig',
        metadata: { name: DASHBOARD_CONFIG_NAME },
        spec: {
          dashboardConfig: { disableNIMModelServing: false },
          nimConfig: {
            customConfigMap: { name: 'mirror-catalog' },
            disableKeyCollection: true,
            disconnected: { disableKeyCollection: true },
          },
        },
      },
    });
    app = await createServer(
      {
        applicationsNamespace: apps,
        host: '127.0.0.1',
        port: 0,
        logLevel: 'info',
        keyRateLimit: { max: 1000, timeWindowMs: 60_000 },
        ngcTimeoutMs: 2_000,
        webDir: '/nonexistent',
      },
      {
        kubeConfig: plane.addUser({ name: BACKEND_USER }),
        logDestination: { write: (line: string) => void logs.push(line) },
      },
    );
  });

  afterAll(async () => {
    await app?.close();
    await plane?.stop();
  });

  it('says at /api/nim/config why the settings cannot be set, and which patch to apply', async () => {
    // NB: the route only needs a bearer token to be present; it answers from the cache.
    const response = await app.inject({
      method: 'GET',
      url: API_PATHS.config,
      headers: { authorization: 'Bearer any-token' },
    });
    expect(response.statusCode).toBe(200);
    const config = configResponseSchema.parse(JSON.parse(response.body));
    // The settings never reached the apiserver: the dashboard runs on its defaults.
    expect(config).toMatchObject({
      keyCollection: true,
      catalogSource: { custom: false },
      nimConfigCrd: { state: 'unsupported' },
    });
    expect(config.nimConfigCrd.message).toContain('has no spec.nimConfig');
    expect(config.nimConfigCrd.message).toContain(CRD_PATCH_FILES.dashboardConfigNimConfig);
  });

  it('says so in its log at start', () => {
    const warnings = logs
      .map((line) => JSON.parse(line) as { level: number; msg: string; nimConfigCrd?: string })
      .filter((line) => line.nimConfigCrd === 'unsupported' && line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual([
      expect.stringContaining(CRD_PATCH_FILES.dashboardConfigNimConfig),
    ]);
  });
});
