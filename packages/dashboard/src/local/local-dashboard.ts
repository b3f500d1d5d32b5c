/**
 * The dashboard's local default mode: a real etcd + kube-apiserver on loopback with manifests/
 * applied, a demo project and user, the NGC emulator replaying the reference catalog, and the
 * backend behind a local stand-in for oauth-proxy. Test-kit parts are used here and in tests only.
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
  ALL_CRD_PATCHES,
  EMULATOR_VALID_KEY,
  TEST_CLUSTER_ROLES_DIR,
  applyCrdPatches,
  grantNamespaceAccess,
  loadReferenceEuRestricted,
  referenceCatalogPath,
  resolveKustomize,
  selectCrdSet,
  startControlPlane,
  startNgcEmulator,
  type ControlPlane,
} from '@odh-nim/testkit';
import YAML from 'yaml';

import { createServer } from '../server/server.js';
import { DEFAULT_KEY_RATE_LIMIT, DEFAULT_NGC_TIMEOUT_MS } from '../server/config.js';
import { startOAuthProxy } from './oauth-proxy.js';
import { ensureWebBuild, WEB_BUILD_DIR } from './web-assets.js';

export const DEMO_USER = 'demo-user';
export const DEMO_PROJECT = 'nim-demo';
const APPS = DEFAULT_APPLICATIONS_NAMESPACE;
const DASHBOARD_SA = `system:serviceaccount:${APPS}:odh-dashboard`;
const manifestsDir = fileURLToPath(new URL('../../../../manifests/', import.meta.url));

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

export interface LocalDashboardOptions {
  /** Port of the dashboard URL. Default 8080; 0 picks a free one. */
  port?: number;
  /** Build the frontend when it is stale. Default true. */
  buildWeb?: boolean;
  /** pino level of the backend. Default `warn`. */
  logLevel?: string;
  /** Progress notes for people. Default: none. */
  onProgress?: (line: string) => void;
}

export interface LocalDashboard {
  /** The dashboard, as the demo user sees it. */
  url: string;
  ngcUrl: string;
  /** The NGC key the emulator accepts. */
  apiKey: string;
  /** An admin kubeconfig for kubectl. */
  kubeconfigPath: string;
  plane: ControlPlane;
  stop(): Promise<void>;
}

/** Starts everything of the local mode; `stop()` ends it all, newest first. */
export async function startLocalDashboard(
  options: LocalDashboardOptions = {},
): Promise<LocalDashboard> {
  const say = options.onProgress ?? (() => undefined);
  say('starting a local control plane (etcd + kube-apiserver on 127.0.0.1)');
  say('the first start builds them from Go modules (about 12 minutes); later starts take seconds');
  const plane = await startControlPlane({
    users: [
      { name: DEMO_USER, groups: ['nim-demo-users'] },
      { name: DASHBOARD_SA, groups: ['system:serviceaccounts', `system:serviceaccounts:${APPS}`] },
    ],
    crds: selectCrdSet({ onProgress: say }).files,
    clusterRoles: [TEST_CLUSTER_ROLES_DIR],
    onProgress: say,
  });
  const cleanups: (() => Promise<unknown>)[] = [() => plane.stop()];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    // As on a cluster with the product's CRD changes: OdhDashboardConfig holds nimConfig.
    await applyCrdPatches(plane.adminKubeConfig(), ALL_CRD_PATCHES);
    await applyManifests(plane);
    const ngc = await startNgcEmulator({
      catalogPath: referenceCatalogPath,
      euRestricted: await loadReferenceEuRestricted(),
    });
    cleanups.push(() => ngc.stop());

    if ((options.buildWeb ?? true) && (await ensureWebBuild())) {
      say('built the frontend into packages/dashboard/dist/web');
    }
    const backend = await createServer(
      {
        applicationsNamespace: APPS,
        ngcBaseUrl: ngc.url,
        host: '127.0.0.1',
        port: 0,
        webDir: WEB_BUILD_DIR,
        logLevel: options.logLevel ?? 'warn',
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
      port: options.port ?? 8080,
    });
    cleanups.push(() => new Promise((resolve) => proxy.server.close(resolve)));

    const kubeconfigPath = join(await mkdtemp(join(tmpdir(), 'nim-local-')), 'kubeconfig');
    await plane.writeKubeconfig(kubeconfigPath);
    return {
      url: proxy.url,
      ngcUrl: ngc.url,
      apiKey: EMULATOR_VALID_KEY,
      kubeconfigPath,
      plane,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
