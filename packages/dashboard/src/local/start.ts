/**
 * `npm start`: the dashboard on a working local default. Without KUBECONFIG it boots a real
 * etcd + kube-apiserver on loopback, applies manifests/, creates a demo project and user, starts
 * the NGC emulator with the reference catalog, and serves the dashboard behind a local
 * stand-in for oauth-proxy. With KUBECONFIG set, it serves against that cluster instead.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  RbacAuthorizationV1Api,
  type KubernetesObject,
} from '@kubernetes/client-node';
import {
  API,
  DASHBOARD_CONFIG_NAME,
  DEFAULT_APPLICATIONS_NAMESPACE,
  LABELS,
} from '@odh-nim/contract';
import {
  EMULATOR_VALID_KEY,
  TEST_CLUSTER_ROLES_DIR,
  TEST_CRDS_DIR,
  grantNamespaceAccess,
  loadReferenceEuRestricted,
  referenceCatalogPath,
  resolveKustomize,
  startControlPlane,
  startNgcEmulator,
  type ControlPlane,
} from '@odh-nim/testkit';
import YAML from 'yaml';

import { main as serveAgainstCluster } from '../server/main.js';
import { createServer } from '../server/server.js';
import { DEFAULT_KEY_RATE_LIMIT, DEFAULT_NGC_TIMEOUT_MS } from '../server/config.js';
import { startOAuthProxy } from './oauth-proxy.js';
import { ensureWebBuild, WEB_BUILD_DIR } from './web-assets.js';

const DEMO_USER = 'demo-user';
const DEMO_PROJECT = 'nim-demo';
const APPS = DEFAULT_APPLICATIONS_NAMESPACE;
const DASHBOARD_SA = `system:serviceaccount:${APPS}:odh-dashboard`;
const manifestsDir = fileURLToPath(new URL('../../../../manifests/', import.meta.url));

const say = (line: string): void => {
  process.stderr.write(`[nim] ${line}\n`);
};

async function applyManifests(plane: ControlPlane): Promise<void> {
  const kc = plane.adminKubeConfig();
  await kc.makeApiClient(CoreV1Api).createNamespace({
    body: { metadata: { name: APPS, labels: { [LABELS.applicationNamespace]: 'true' } } },
  });
  const { stdout } = await promisify(execFile)(await resolveKustomize(), ['build', manifestsDir], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const objects = KubernetesObjectApi.makeApiClient(kc);
  for (const doc of YAML.parseAllDocuments(stdout)) {
    await objects.create(doc.toJS() as KubernetesObject);
  }
  await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    ...API.dashboardConfig,
    namespace: APPS,
    body: {
      apiVersion: `${API.dashboardConfig.group}/${API.dashboardConfig.version}`,
      kind: 'OdhDashboardConfig',
      metadata: { name: DASHBOARD_CONFIG_NAME },
      spec: { dashboardConfig: { disableNIMModelServing: false }, nimConfig: {} },
    },
  });
  await kc.makeApiClient(CoreV1Api).createNamespace({
    body: { metadata: { name: DEMO_PROJECT, labels: { 'opendatahub.io/dashboard': 'true' } } },
  });
  await grantNamespaceAccess(kc, { namespace: DEMO_PROJECT, user: DEMO_USER, role: 'edit' });
  // NB: OpenShift lists a user's projects through the projects API; a bare apiserver has none,
  // so the demo user may list namespaces to fill the project selector.
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const lister = 'nim-demo-namespace-lister';
  await rbac.createClusterRole({
    body: {
      metadata: { name: lister },
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }],
    },
  });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: lister },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: lister },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: DEMO_USER }],
    },
  });
}

async function startLocal(): Promise<void> {
  const started = Date.now();
  say('no KUBECONFIG: starting a local control plane (etcd + kube-apiserver on 127.0.0.1)');
  say(
    'the first start builds them from Go modules (about 10-15 minutes); later starts take seconds',
  );
  const plane = await startControlPlane({
    users: [
      { name: DEMO_USER, groups: ['nim-demo-users'] },
      { name: DASHBOARD_SA, groups: ['system:serviceaccounts', `system:serviceaccounts:${APPS}`] },
    ],
    crds: [TEST_CRDS_DIR],
    clusterRoles: [TEST_CLUSTER_ROLES_DIR],
  });
  const cleanups: (() => Promise<unknown>)[] = [() => plane.stop()];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    await applyManifests(plane);
    const ngc = await startNgcEmulator({
      catalogPath: referenceCatalogPath,
      euRestricted: await loadReferenceEuRestricted(),
    });
    cleanups.push(() => ngc.stop());

    if (await ensureWebBuild()) say('built the frontend into packages/dashboard/dist/web');
    const backend = await createServer(
      {
        applicationsNamespace: APPS,
        ngcBaseUrl: ngc.url,
        host: '127.0.0.1',
        port: 0,
        webDir: WEB_BUILD_DIR,
        logLevel: process.env.LOG_LEVEL ?? 'warn',
        keyRateLimit: DEFAULT_KEY_RATE_LIMIT,
        ngcTimeoutMs: DEFAULT_NGC_TIMEOUT_MS,
      },
      // The backend runs as the dashboard's service account, with only the shipped RBAC.
      { kubeConfig: plane.addUser({ name: DASHBOARD_SA }) },
    );
    cleanups.push(() => backend.close());
    const backendUrl = await backend.listen({ host: '127.0.0.1', port: 0 });
    const proxy = await startOAuthProxy({
      upstream: backendUrl,
      token: plane.userToken(DEMO_USER),
      port: Number(process.env.PORT ?? 8080),
    });
    cleanups.push(() => new Promise((resolve) => proxy.server.close(resolve)));

    const kubeconfig = join(await mkdtemp(join(tmpdir(), 'nim-local-')), 'kubeconfig');
    await plane.writeKubeconfig(kubeconfig);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      [
        '',
        `NVIDIA NIM dashboard ready in ${seconds}s: ${proxy.url}`,
        `  signed in as        ${DEMO_USER} (edit rights in project "${DEMO_PROJECT}")`,
        `  NGC API key to type ${EMULATOR_VALID_KEY}  (NGC emulator at ${ngc.url})`,
        `  admin kubeconfig    export KUBECONFIG=${kubeconfig}`,
        '  Ctrl+C stops everything.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  const shutdown = (): void => {
    say('stopping');
    void stopAll().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.env.KUBECONFIG) {
  await serveAgainstCluster(process.argv.slice(2), process.env);
} else {
  await startLocal().catch((error: unknown) => {
    console.error(`nim-dashboard: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
