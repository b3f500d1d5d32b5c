// Shared set-up of the dashboard backend's integration tests: an applications namespace with the
// catalog and Templates, the backend started with a read-only identity, the NGC emulator, test
// projects with explicit Roles, and capture of every log line and response body.
import { readFile } from 'node:fs/promises';

import {
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
  type KubeConfig,
  type V1PolicyRule,
} from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import YAML from 'yaml';

import {
  API,
  DASHBOARD_CONFIG_NAME,
  buildRuntimeTemplate,
  encodeBase64,
  MODELS_CONFIGMAP_NAME,
} from '@odh-nim/contract';
import {
  createTestNamespace,
  referenceCatalogPath,
  startNgcEmulator,
  type NgcEmulator,
} from '@odh-nim/testkit';
import { adminKubeConfig, newUserKubeConfig, userToken } from '@odh-nim/testkit/vitest';

import type { ServerConfig } from '../src/server/config.js';
import { createServer } from '../src/server/server.js';
import { mockDeployRequest } from '../src/server/test-support/mocks.js';

/** Keys the NGC emulator accepts. Obviously fake. */
export const GOOD_KEY = 'nvapi-test-good-1';
export const OTHER_GOOD_KEY = 'nvapi-test-good-2';
export const THIRD_GOOD_KEY = 'nvapi-test-good-3';
/** A personal key NGC rejects. */
export const REJECTED_KEY = 'nvapi-test-rejected';
/** A legacy (non-`nvapi-`) key. */
export const LEGACY_KEY = 'test-legacy-key-0000';
/** Every key the tests send: none may appear in a log line or a response body. */
export const ALL_TEST_KEYS = [GOOD_KEY, OTHER_GOOD_KEY, THIRD_GOOD_KEY, REJECTED_KEY, LEGACY_KEY];

/** The backend's own user: it may only read the catalog, the Templates and the dashboard config. */
const BACKEND_USER = 'system:serviceaccount:nim-tests:odh-dashboard';

export type Caller = 'alice' | 'bob' | 'viewer' | 'anonymous';

/** What a test sends to the backend. */
export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  as?: Caller;
  body?: unknown;
  /** Send the token as X-Forwarded-Access-Token instead of Authorization. */
  forwarded?: boolean;
  rawBody?: string;
  /** Which backend replica answers (see `HarnessOptions.replicas`). Default 0. */
  replica?: number;
}

export interface CallResult {
  status: number;
  body: unknown;
  text: string;
  headers: Record<string, unknown>;
}

/** A running backend with its cluster and NGC. */
export interface Harness {
  admin: KubeConfig;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  appsNamespace: string;
  ngc: NgcEmulator;
  app: FastifyInstance;
  /** Every backend replica, `app` first: each its own server and caches, one apiserver. */
  apps: FastifyInstance[];
  /** Every log line the backend wrote. */
  logs: string[];
  /** Every response body the tests received. */
  responses: string[];
  call(options: CallOptions): Promise<CallResult>;
  /** Writes the OdhDashboardConfig's spec and waits until the backend has read it. */
  setDashboardConfig(spec: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  /** Install the reference catalog ConfigMap. Default true. */
  catalog?: boolean;
  /** Install both runtime Templates. Default true. */
  templates?: boolean;
  /** The OdhDashboardConfig spec to start with. Default none (no object). */
  dashboardConfig?: Record<string, unknown>;
  /** Overrides of the server config. */
  config?: Partial<ServerConfig>;
  /** How many backend replicas to start, as an install runs two. Default 1. */
  replicas?: number;
}

/** Starts the emulator and the backend on a fresh applications namespace. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const admin = adminKubeConfig();
  const core = admin.makeApiClient(CoreV1Api);
  const custom = admin.makeApiClient(CustomObjectsApi);
  const appsNamespace = await createTestNamespace(admin, 'nim-apps');
  if (options.catalog !== false) await installReferenceCatalog(core, appsNamespace);
  if (options.templates !== false) {
    for (const protocol of ['http', 'grpc'] as const) {
      await custom.createNamespacedCustomObject({
        ...API.template,
        namespace: appsNamespace,
        body: { ...buildRuntimeTemplate(protocol) },
      });
    }
  }
  if (options.dashboardConfig) {
    await writeDashboardConfig(custom, appsNamespace, options.dashboardConfig);
  }
  await grantBackendReader(admin, appsNamespace);

  const ngc = await startNgcEmulator({ validKeys: [GOOD_KEY, OTHER_GOOD_KEY, THIRD_GOOD_KEY] });
  const logs: string[] = [];
  const responses: string[] = [];
  const startReplica = (): Promise<FastifyInstance> =>
    createServer(
      {
        applicationsNamespace: appsNamespace,
        ngcBaseUrl: ngc.url,
        host: '127.0.0.1',
        port: 0,
        logLevel: 'debug',
        keyRateLimit: { max: 1000, timeWindowMs: 60_000 },
        ngcTimeoutMs: 2_000,
        webDir: '/nonexistent',
        ...options.config,
      },
      {
        kubeConfig: newUserKubeConfig({ name: BACKEND_USER }),
        logDestination: { write: (line: string) => void logs.push(line) },
      },
    );
  const apps: FastifyInstance[] = [];
  for (let replica = 0; replica < (options.replicas ?? 1); replica++) {
    apps.push(await startReplica());
  }
  const [app] = apps;
  if (!app) throw new Error('replicas must be at least 1');

  return {
    admin,
    core,
    custom,
    appsNamespace,
    ngc,
    app,
    apps,
    logs,
    responses,
    async call(call) {
      const headers: Record<string, string> = {};
      if (call.as !== 'anonymous') {
        const token = userToken(call.as ?? 'alice');
        if (call.forwarded) headers['x-forwarded-access-token'] = token;
        else headers.authorization = `Bearer ${token}`;
      }
      let payload: string | undefined = call.rawBody;
      if (call.body !== undefined) payload = JSON.stringify(call.body);
      if (payload !== undefined) headers['content-type'] = 'application/json';
      const target = apps[call.replica ?? 0];
      if (!target) throw new Error(`no backend replica ${call.replica ?? 0}`);
      const response = await target.inject({
        method: call.method ?? 'GET',
        url: call.url,
        headers,
        ...(payload !== undefined ? { payload } : {}),
      });
      responses.push(response.body);
      let body: unknown = undefined;
      try {
        body = JSON.parse(response.body);
      } catch {
        body = undefined;
      }
      return { status: response.statusCode, body, text: response.body, headers: response.headers };
    },
    async setDashboardConfig(spec) {
      await writeDashboardConfig(custom, appsNamespace, spec);
      // Each replica sees the change through its watch; wait for what the spec decides.
      await Promise.all(
        apps.map((replica) =>
          replica.nimCache.waitFor((cache) => settingsMatch(cache.settings, spec, appsNamespace)),
        ),
      );
    },
    async close() {
      for (const replica of apps) await replica.close();
      await ngc.stop();
    },
  };
}

function settingsMatch(
  settings: FastifyInstance['nimCache']['settings'],
  spec: Record<string, unknown>,
  appsNamespace: string,
): boolean {
  const nimConfig = (spec.nimConfig ?? {}) as {
    disableKeyValidation?: boolean;
    disableKeyCollection?: boolean;
    customConfigMap?: { name: string; namespace?: string };
  };
  const dashboardConfig = (spec.dashboardConfig ?? {}) as { disableNIMModelServing?: boolean };
  const source = nimConfig.customConfigMap ?? { name: MODELS_CONFIGMAP_NAME };
  return (
    settings.enabled === (dashboardConfig.disableNIMModelServing !== true) &&
    settings.keyValidation === (nimConfig.disableKeyValidation !== true) &&
    settings.keyCollection === (nimConfig.disableKeyCollection !== true) &&
    settings.catalogSource.name === source.name &&
    settings.catalogSource.namespace === (source.namespace ?? appsNamespace)
  );
}

async function writeDashboardConfig(
  custom: CustomObjectsApi,
  namespace: string,
  spec: Record<string, unknown>,
): Promise<void> {
  const target = { ...API.dashboardConfig, namespace, name: DASHBOARD_CONFIG_NAME };
  const body = {
    apiVersion: `${API.dashboardConfig.group}/${API.dashboardConfig.version}`,
    kind: 'OdhDashboardConfig',
    metadata: { name: DASHBOARD_CONFIG_NAME, namespace },
    spec,
  };
  try {
    const current = (await custom.getNamespacedCustomObject(target)) as {
      metadata: { resourceVersion: string };
    };
    await custom.replaceNamespacedCustomObject({
      ...target,
      body: {
        ...body,
        metadata: { ...body.metadata, resourceVersion: current.metadata.resourceVersion },
      },
    });
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
    await custom.createNamespacedCustomObject({ ...API.dashboardConfig, namespace, body });
  }
}

/** Creates the reference catalog (180 models) as a ConfigMap `name` in `namespace`. */
export async function installReferenceCatalog(
  core: CoreV1Api,
  namespace: string,
  name = MODELS_CONFIGMAP_NAME,
  extraData: Record<string, string> = {},
): Promise<void> {
  const parsed = YAML.parse(await readFile(referenceCatalogPath, 'utf8')) as {
    metadata: { labels?: Record<string, string> };
    data: Record<string, string>;
  };
  await core.createNamespacedConfigMap({
    namespace,
    body: {
      metadata: { name, namespace, labels: parsed.metadata.labels ?? {} },
      data: { ...parsed.data, ...extraData },
    },
  });
}

/** Lets the backend's user read the catalog, Templates and dashboard config of `namespace`. */
export async function grantBackendReader(admin: KubeConfig, namespace: string): Promise<void> {
  await createRoleFor(admin, {
    namespace,
    role: 'nim-dashboard-reader',
    subject: BACKEND_USER,
    rules: [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      {
        apiGroups: [API.template.group, API.dashboardConfig.group],
        resources: [API.template.plural, API.dashboardConfig.plural],
        verbs: ['get', 'list', 'watch'],
      },
    ],
  });
}

/** Rights a data scientist has in their project to deploy NIM (an explicit Role: no aggregation). */
export const NIM_EDITOR_RULES: V1PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['secrets', 'persistentvolumeclaims'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  },
  {
    apiGroups: [API.servingRuntime.group],
    resources: [API.servingRuntime.plural, API.inferenceService.plural],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  },
];

/** Read-only rights, like the `view` role (no secrets). */
export const NIM_VIEWER_RULES: V1PolicyRule[] = [
  { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: [API.servingRuntime.group],
    resources: [API.servingRuntime.plural, API.inferenceService.plural],
    verbs: ['get', 'list', 'watch'],
  },
];

/** Creates a Role with `rules` and binds it to a user. */
export async function createRoleFor(
  admin: KubeConfig,
  options: { namespace: string; role: string; subject: string; rules: V1PolicyRule[] },
): Promise<void> {
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  const { namespace, role, subject } = options;
  await rbac.createNamespacedRole({
    namespace,
    body: { metadata: { name: role, namespace }, rules: options.rules },
  });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name: `${role}-${subject.replace(/[^a-z0-9-]/g, '-')}`, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: subject }],
    },
  });
}

/** A fresh project where `editors` may deploy NIM and `viewers` may only look. */
export async function createProject(
  harness: Pick<Harness, 'admin'>,
  options: { prefix?: string; editors?: Caller[]; viewers?: Caller[] } = {},
): Promise<string> {
  const namespace = await createTestNamespace(harness.admin, options.prefix ?? 'nim-project');
  for (const user of options.editors ?? ['alice']) {
    await createRoleFor(harness.admin, {
      namespace,
      role: `nim-editor-${user}`,
      subject: user,
      rules: NIM_EDITOR_RULES,
    });
  }
  for (const user of options.viewers ?? []) {
    await createRoleFor(harness.admin, {
      namespace,
      role: `nim-viewer-${user}`,
      subject: user,
      rules: NIM_VIEWER_RULES,
    });
  }
  return namespace;
}

/** Names of the objects a deploy may create (not marked for deletion), as the admin sees them. */
export async function listProjectObjects(
  harness: Pick<Harness, 'core' | 'custom'>,
  namespace: string,
): Promise<{ secrets: string[]; pvcs: string[]; runtimes: string[]; inferenceServices: string[] }> {
  // An object marked for deletion counts as gone: kube-controller-manager removes a deleted
  // PVC's pvc-protection finalizer a moment later, and comparisons must not race it.
  const names = (list: unknown): string[] =>
    (
      (list as { items?: { metadata?: { name?: string; deletionTimestamp?: unknown } }[] }).items ??
      []
    )
      .filter((item) => !item.metadata?.deletionTimestamp)
      .map((item) => item.metadata?.name ?? '')
      .sort();
  const [secrets, pvcs, runtimes, isvcs] = await Promise.all([
    harness.core.listNamespacedSecret({ namespace }),
    harness.core.listNamespacedPersistentVolumeClaim({ namespace }),
    harness.custom.listNamespacedCustomObject({ ...API.servingRuntime, namespace }),
    harness.custom.listNamespacedCustomObject({ ...API.inferenceService, namespace }),
  ]);
  return {
    secrets: names(secrets),
    pvcs: names(pvcs),
    runtimes: names(runtimes),
    inferenceServices: names(isvcs),
  };
}

/**
 * A valid deploy request for a model of the reference catalog, as a plain body: overrides may
 * be invalid on purpose (the bad-input table sends wrong types).
 */
export function deployBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...mockDeployRequest({ replicas: { min: 1, max: 1 }, apiKey: GOOD_KEY }), ...overrides };
}

/**
 * Fails when any key (raw or base64, as a Secret carries it) or any caller token appears in a
 * log line or a response body captured so far.
 */
export function findLeaks(harness: Pick<Harness, 'logs' | 'responses'>): string[] {
  const secrets = [
    ...ALL_TEST_KEYS.flatMap((key) => [key, encodeBase64(key)]),
    ...(['alice', 'bob', 'viewer'] as const).map((user) => userToken(user)),
  ];
  const leaks: string[] = [];
  for (const [kind, texts] of [
    ['log', harness.logs],
    ['response', harness.responses],
  ] as const) {
    for (const text of texts) {
      for (const secret of secrets) {
        // Never print the text itself: that would leak the secret into the test output.
        if (text.includes(secret)) leaks.push(`a ${kind} (${text.length} chars) holds a secret`);
      }
    }
  }
  return leaks;
}
