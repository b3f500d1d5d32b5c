/**
 * Dashboard backend latency on a real local control plane (etcd + kube-apiserver, testkit):
 *
 * - `GET /api/nim/models` for the 180-model reference catalog and a synthetic 2,000-model one,
 *   driven by a keep-alive HTTP client on loopback and measured server-side (Fastify's
 *   `reply.elapsedTime`, onRequest to response written), plus the client-observed latency.
 *   (`fastify.inject` is not used for it: light-my-request holds on to large bodies for a while,
 *   which turns a 735 KiB response into GC pauses that are the harness's, not the server's.)
 * - End-to-end `POST /api/namespaces/:ns/nim/deployments` over loopback HTTP (validation, NGC key check against the
 *   local emulator, dry runs, secrets, PVC, ServingRuntime, InferenceService) as a token user.
 *
 * Targets: models p99 < 5 ms server-side; deploy p50 < 300 ms. Never exits non-zero for a FAIL.
 */
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

import { CoreV1Api, CustomObjectsApi, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import YAML from 'yaml';

import {
  API,
  buildModelsConfigMap,
  buildRuntimeTemplate,
  configMapDataBytes,
  formatBytes,
  MAX_CONFIGMAP_DATA_BYTES,
  MODELS_CONFIGMAP_NAME,
  type ModelEntry,
} from '@odh-nim/contract';
import {
  createTestNamespace,
  loadReferenceCatalog,
  referenceCatalogPath,
  startControlPlane,
  startNgcEmulator,
  TEST_CRDS_DIR,
} from '@odh-nim/testkit';

import type { DeployRequest } from '../packages/dashboard/src/api/types.js';
import { createServer } from '../packages/dashboard/src/server/server.js';
import { mockDeployRequest } from '../packages/dashboard/src/server/test-support/mocks.js';

const MODELS_REQUESTS = 3_000;
const WARMUP = 300;
/** Think time of the paced run: a busy frontend, not a saturating load generator. */
const PACE_MS = 2;
const DEPLOYS = 40;
const SYNTHETIC_MODELS = 2_000;
const TARGET_MODELS_P99_MS = 5;
const TARGET_DEPLOY_P50_MS = 300;
const BENCH_KEY = 'nvapi-test-bench';

export async function run(): Promise<void> {
  const plane = await startControlPlane({
    users: [{ name: 'bench-user' }],
    crds: [TEST_CRDS_DIR],
  });
  const ngc = await startNgcEmulator({ validKeys: [BENCH_KEY] });
  const admin = plane.adminKubeConfig();
  const core = admin.makeApiClient(CoreV1Api);
  const custom = admin.makeApiClient(CustomObjectsApi);
  const silent = { write: () => undefined };
  try {
    // --- GET /api/nim/models ---------------------------------------------------------------
    const reference = (
      YAML.parse(await readFile(referenceCatalogPath, 'utf8')) as {
        data: Record<string, string>;
      }
    ).data;
    const synthetic = await buildSyntheticCatalog(await loadReferenceCatalog(), SYNTHETIC_MODELS);
    const catalogs = [
      { label: `reference catalog (${Object.keys(reference).length} models)`, data: reference },
      { label: `synthetic catalog (${SYNTHETIC_MODELS} models)`, data: synthetic },
    ];
    let deployNamespace = '';
    for (const catalog of catalogs) {
      const appsNamespace = await createTestNamespace(admin, 'bench-apps');
      deployNamespace ||= appsNamespace;
      await core.createNamespacedConfigMap({
        namespace: appsNamespace,
        body: {
          metadata: { name: MODELS_CONFIGMAP_NAME, namespace: appsNamespace },
          data: catalog.data,
        },
      });
      for (const protocol of ['http', 'grpc'] as const) {
        await custom.createNamespacedCustomObject({
          ...API.template,
          namespace: appsNamespace,
          body: { ...buildRuntimeTemplate(protocol) },
        });
      }
      const app = await createServer(
        {
          applicationsNamespace: appsNamespace,
          ngcBaseUrl: ngc.url,
          host: '127.0.0.1',
          port: 0,
          logLevel: 'warn',
          keyRateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
          ngcTimeoutMs: 5_000,
          webDir: '/nonexistent',
        },
        { kubeConfig: admin, logDestination: silent },
      );
      try {
        const bytes = configMapDataBytes(catalog.data);
        const headers = { authorization: `Bearer ${plane.userToken('bench-user')}` };
        // Server-side time of each request: Fastify's elapsed time from onRequest to the
        // response written, for requests from a real keep-alive loopback client.
        const serverSide: number[] = [];
        app.addHook('onResponse', async (request, reply) => {
          if (request.url === '/api/nim/models') serverSide.push(reply.elapsedTime);
        });
        const size = Buffer.byteLength(
          (await app.inject({ url: '/api/nim/models', headers })).body,
        );
        console.log(
          `\nGET /api/nim/models, ${catalog.label}: ConfigMap ${formatBytes(bytes)}, response ${formatBytes(size)}`,
        );
        const address = await app.listen({ host: '127.0.0.1', port: 0 });
        await timeLoopback(address, headers, WARMUP);
        for (const [label, pauseMs] of [
          ['back to back', 0],
          [`paced, ${PACE_MS} ms between requests`, PACE_MS],
        ] as const) {
          serverSide.length = 0;
          const client = await timeLoopback(address, headers, MODELS_REQUESTS, pauseMs);
          const p99 = percentile(serverSide, 99);
          console.log(
            `  ${label}, ${serverSide.length} requests: server-side p50 ${fmt(percentile(serverSide, 50))}  p99 ${fmt(p99)}  ${verdict(p99 < TARGET_MODELS_P99_MS)} (target p99 < ${TARGET_MODELS_P99_MS} ms); client-observed p50 ${fmt(percentile(client, 50))}  p99 ${fmt(percentile(client, 99))}`,
          );
        }
      } finally {
        await app.close();
      }
    }

    // --- POST deploy ---------------------------------------------------------------------------
    const project = await createTestNamespace(admin, 'bench-project');
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: project,
      body: {
        metadata: { name: 'nim-editor' },
        rules: [
          { apiGroups: [''], resources: ['secrets', 'persistentvolumeclaims'], verbs: ['*'] },
          {
            apiGroups: ['serving.kserve.io'],
            resources: ['servingruntimes', 'inferenceservices'],
            verbs: ['*'],
          },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: project,
      body: {
        metadata: { name: 'nim-editor' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'nim-editor' },
        subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bench-user' }],
      },
    });
    const app = await createServer(
      {
        applicationsNamespace: deployNamespace,
        ngcBaseUrl: ngc.url,
        host: '127.0.0.1',
        port: 0,
        logLevel: 'warn',
        keyRateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
        ngcTimeoutMs: 5_000,
        webDir: '/nonexistent',
      },
      { kubeConfig: admin, logDestination: silent },
    );
    try {
      const headers = {
        authorization: `Bearer ${plane.userToken('bench-user')}`,
        'content-type': 'application/json',
      };
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const deploy = async (name: string): Promise<number> => {
        const started = performance.now();
        const response = await fetch(`${address}/api/namespaces/${project}/nim/deployments`, {
          method: 'POST',
          headers,
          body: JSON.stringify(deployRequest(name)),
        });
        const text = await response.text();
        const elapsed = performance.now() - started;
        if (response.status !== 201) {
          throw new Error(`deploy answered ${response.status}: ${text.slice(0, 300)}`);
        }
        return elapsed;
      };
      await deploy('warmup-0');
      await deploy('warmup-1');
      const times: number[] = [];
      for (let i = 0; i < DEPLOYS; i++) times.push(await deploy(`bench-${i}`));
      const p50 = percentile(times, 50);
      console.log(
        `\nPOST deploy, end to end against the local apiserver (${DEPLOYS} deploys as a token user, NGC emulator on loopback):`,
      );
      console.log(
        `  p50 ${fmt(p50)}  p90 ${fmt(percentile(times, 90))}  max ${fmt(Math.max(...times))}  ${verdict(p50 < TARGET_DEPLOY_P50_MS)} (target p50 < ${TARGET_DEPLOY_P50_MS} ms)`,
      );
    } finally {
      await app.close();
    }
  } finally {
    await ngc.stop();
    await plane.stop();
  }
}

function deployRequest(name: string): DeployRequest {
  return mockDeployRequest({
    displayName: `Bench ${name}`,
    name,
    replicas: { min: 1, max: 1 },
    apiKey: BENCH_KEY,
  });
}

/** `count` models derived from the reference ones, with short descriptions to fit in 1 MiB. */
async function buildSyntheticCatalog(
  reference: readonly ModelEntry[],
  count: number,
): Promise<Record<string, string>> {
  const models: ModelEntry[] = [];
  for (let i = 0; i < count; i++) {
    const base = reference[i % reference.length];
    if (!base) throw new Error('empty reference catalog');
    models.push({
      ...base,
      name: `${base.name}-s${i}`,
      displayName: `${base.displayName} #${i}`,
      shortDescription: base.shortDescription.slice(0, 120),
    });
  }
  const configMap = await buildModelsConfigMap(models);
  const bytes = configMapDataBytes(configMap.data);
  if (bytes > MAX_CONFIGMAP_DATA_BYTES) throw new Error(`synthetic catalog too large: ${bytes}`);
  return configMap.data;
}

// The client runs in a worker thread: its own event loop and heap, so reading large responses
// neither delays the server's event loop nor adds its garbage to the server's GC pauses.
const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const url = new URL('/api/nim/models', workerData.address);
const once = () => new Promise((resolve, reject) => {
  const started = performance.now();
  const req = request(url, { agent, headers: workerData.headers }, (res) => {
    res.on('data', () => undefined);
    res.on('end', () => resolve(performance.now() - started));
  });
  req.on('error', reject);
  req.end();
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
(async () => {
  const times = [];
  for (let i = 0; i < workerData.count; i++) {
    times.push(await once());
    if (workerData.pauseMs > 0) await sleep(workerData.pauseMs);
  }
  agent.destroy();
  parentPort.postMessage(times);
})().catch((error) => { throw error; });
`;

async function timeLoopback(
  address: string,
  headers: Record<string, string>,
  count: number,
  pauseMs = 0,
): Promise<number[]> {
  const worker = new Worker(CLIENT_WORKER, {
    eval: true,
    workerData: { address, headers, count, pauseMs },
  });
  try {
    return await new Promise<number[]>((resolve, reject) => {
      worker.once('message', (times: number[]) => resolve(times));
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function fmt(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'FAIL';
}
