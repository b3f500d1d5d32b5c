// Shows that the project's own CRDs (packages/testkit/crds, what a clone without ../shared tests
// on) store, prune, reject and default every object the product writes exactly as the upstream
// CRDs of ../shared do. Two private control planes, one per CRD set, one after the other (the
// machine has 2 cores), get the same requests; their answers and stored objects must be equal.
// It lives in the dashboard package because it builds the ServingRuntime and InferenceService
// with the dashboard's own deploy plan (the testkit may not depend on the dashboard).
import { request } from 'node:https';

import type { KubeConfig, V1CustomResourceDefinition } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  ANNOTATIONS,
  API,
  DASHBOARD_CONFIG_NAME,
  LEGACY,
  buildRuntimeTemplate,
} from '@odh-nim/contract';
import { mockModelEntry } from '@odh-nim/contract/testing';
import {
  ALL_CRD_PATCHES,
  CRD_NAMES,
  applyCrdPatches,
  findUpstreamCrds,
  selectCrdSet,
  startControlPlane,
  type CrdSet,
} from '@odh-nim/testkit';

import { buildDeployPlan } from '../src/server/deployments/plan.js';
import { mockDeployRequest } from '../src/server/test-support/mocks.js';

const NS = 'crd-conformance';

/** What one request got back, normalised so the two planes can be compared. */
interface Outcome {
  status: number;
  warnings: string[];
  /** The object (normalised) or, for an error, its reason, message and causes. */
  body: unknown;
}

interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Default `application/json`; `application/merge-patch+json` for a PATCH. */
  contentType?: string;
}

/** A raw request: the typed client hides the `Warning` headers that tell of pruned fields. */
async function send(kc: KubeConfig, call: Call): Promise<Outcome> {
  const server = kc.getCurrentCluster()?.server ?? '';
  const url = new URL(call.path, server);
  for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
  const options: Parameters<typeof request>[1] = {
    method: call.method,
    headers: {
      accept: 'application/json',
      ...(call.body === undefined
        ? {}
        : {
            'content-type':
              call.contentType ??
              (call.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json'),
          }),
    },
  };
  await kc.applyToHTTPSOptions(options);
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  const answer = await new Promise<{ status: number; text: string; warnings: string[] }>(
    (resolve, reject) => {
      const req = request(url, options, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const warnings: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            if (res.rawHeaders[i]?.toLowerCase() === 'warning')
              warnings.push(res.rawHeaders[i + 1] ?? '');
          }
          resolve({ status: res.statusCode ?? 0, text, warnings });
        });
      });
      req.on('error', reject);
      req.end(payload);
    },
  );
  const parsed: unknown = JSON.parse(answer.text);
  return { status: answer.status, warnings: answer.warnings.sort(), body: normalise(parsed) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops what differs between any two writes (uid, resourceVersion, timestamps, managedFields). */
function normalise(body: unknown): unknown {
  if (!isRecord(body)) return body;
  if (body['kind'] === 'Status') {
    const details = isRecord(body['details']) ? body['details'] : {};
    const causes = Array.isArray(details['causes']) ? details['causes'] : undefined;
    return {
      reason: body['reason'],
      // NB: the apiserver lists field errors in Go map order, which varies from one request to
      // the next; the sorted causes say the same. A patch error quotes the object patched,
      // uid and timestamps included.
      message: causes
        ? `${String(body['message']).split(' is invalid: ')[0]} is invalid: (causes)`
        : body['message'],
      causes: causes
        ?.map((cause: unknown) =>
          isRecord(cause) && typeof cause['message'] === 'string'
            ? { ...cause, message: cause['message'].replace(/^Invalid value: "\{.*\}": /s, '') }
            : cause,
        )
        .sort((a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    };
  }
  const metadata = isRecord(body['metadata']) ? { ...body['metadata'] } : {};
  for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation'])
    delete metadata[key];
  return { ...body, metadata };
}

/** One request of the scenario; the same on both planes. */
interface Step {
  name: string;
  call: Call;
  /** What upstream must answer, so a typo cannot make both planes agree on a 404. */
  expect: 'ok' | 'rejected';
}

interface Kind {
  group: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

const KINDS = {
  dsc: {
    group: 'datasciencecluster.opendatahub.io',
    plural: 'datascienceclusters',
    kind: 'DataScienceCluster',
    namespaced: false,
  },
  dsci: {
    group: 'dscinitialization.opendatahub.io',
    plural: 'dscinitializations',
    kind: 'DSCInitialization',
    namespaced: false,
  },
  odc: {
    group: API.dashboardConfig.group,
    plural: API.dashboardConfig.plural,
    kind: 'OdhDashboardConfig',
    namespaced: true,
  },
  account: {
    group: API.account.group,
    plural: API.account.plural,
    kind: 'Account',
    namespaced: true,
  },
  sr: {
    group: API.servingRuntime.group,
    plural: API.servingRuntime.plural,
    kind: 'ServingRuntime',
    namespaced: true,
  },
  csr: {
    group: 'serving.kserve.io',
    plural: 'clusterservingruntimes',
    kind: 'ClusterServingRuntime',
    namespaced: false,
  },
  isvc: {
    group: API.inferenceService.group,
    plural: API.inferenceService.plural,
    kind: 'InferenceService',
    namespaced: true,
  },
  hwp: {
    group: 'infrastructure.opendatahub.io',
    plural: 'hardwareprofiles',
    kind: 'HardwareProfile',
    namespaced: true,
  },
} satisfies Record<string, Kind>;

function collectionPath(kind: Kind, version: string): string {
  const ns = kind.namespaced ? `/namespaces/${NS}` : '';
  return `/apis/${kind.group}/${version}${ns}/${kind.plural}`;
}

const STRICT = { fieldValidation: 'Strict' };

/** Creating `spec` (and more) as `name`, with the server's default validation and strictly. */
function creates(
  label: string,
  kind: Kind,
  version: string,
  name: string,
  object: Record<string, unknown>,
  expectStrict: Step['expect'] = 'ok',
  expectDefault: Step['expect'] = 'ok',
): Step[] {
  const body = (suffix: string): Record<string, unknown> => ({
    apiVersion: `${kind.group}/${version}`,
    kind: kind.kind,
    ...object,
    metadata: {
      ...(isRecord(object['metadata']) ? object['metadata'] : {}),
      name: `${name}${suffix}`,
    },
  });
  const path = collectionPath(kind, version);
  return [
    {
      name: `${label}: create`,
      call: { method: 'POST', path, body: body('') },
      expect: expectDefault,
    },
    {
      name: `${label}: create, strict`,
      call: { method: 'POST', path, query: STRICT, body: body('-strict') },
      expect: expectStrict,
    },
  ];
}

function reads(label: string, kind: Kind, versions: string[], name: string): Step[] {
  return versions.map((version) => ({
    name: `${label}: read as ${version}`,
    call: { method: 'GET' as const, path: `${collectionPath(kind, version)}/${name}` },
    expect: 'ok' as const,
  }));
}

function patches(
  label: string,
  kind: Kind,
  version: string,
  name: string,
  body: unknown,
  options: { strict?: boolean; subresource?: string; expect?: Step['expect'] } = {},
): Step {
  return {
    name: `${label}: merge patch${options.strict ? ', strict' : ''}`,
    call: {
      method: 'PATCH',
      path: `${collectionPath(kind, version)}/${name}${options.subresource ? `/${options.subresource}` : ''}`,
      ...(options.strict ? { query: STRICT } : {}),
      body,
    },
    expect: options.expect ?? 'ok',
  };
}

// ---- What the product and its tests write ----

const dscSpec = (nim: unknown): Record<string, unknown> => ({
  spec: {
    components: {
      dashboard: { managementState: 'Managed' },
      kserve: { managementState: 'Managed', ...(nim === undefined ? {} : { nim }) },
    },
  },
});
const OLD_NIM = { managementState: 'Removed', airGapped: true };
/**
 * Removing the NIM block, as the upgrade once did: the steps show why it no longer does (the
 * default comes back while the schema defines it; the patch prunes it).
 */
const REMOVE_NIM = { spec: { components: { kserve: { nim: null } } } };

/** The upgrade's configure-dashboard write, and what its tests' fixture holds. */
const DASHBOARD_SETTINGS = {
  spec: {
    dashboardConfig: { disableNIMModelServing: true },
    nimConfig: { disableKeyValidation: true },
  },
};
const FIXTURE_DASHBOARD = {
  spec: {
    dashboardConfig: { disableTracking: false, disableModelServing: false, disableKServe: false },
    notebookController: { enabled: true },
  },
};
/** Every nimConfig field of SPEC 3.1, as an admin writes them. */
const FULL_NIM_CONFIG = {
  spec: {
    dashboardConfig: { disableNIMModelServing: false },
    nimConfig: {
      customConfigMap: { name: 'mirror-catalog', namespace: 'nim-mirror' },
      disableKeyValidation: true,
      disableKeyCollection: true,
      disconnected: { disableKeyCollection: true },
    },
  },
};

const ref = (kind: string, name: string, apiVersion: string): Record<string, string> => ({
  apiVersion,
  kind,
  name,
  namespace: NS,
});
/** The old design's Account, as its controller left it (packages/upgrade fixtures). */
const ACCOUNT = {
  metadata: { finalizers: [LEGACY.accountFinalizer] },
  spec: { apiKeySecret: { name: LEGACY.adminKeySecret }, validationRefreshRate: '24h' },
};
const ACCOUNT_STATUS = {
  status: {
    nimConfig: ref('ConfigMap', 'odh-nim-account-cm', 'v1'),
    runtimeTemplate: ref('Template', 'odh-nim-account-template', 'template.openshift.io/v1'),
    nimPullSecret: ref('Secret', 'odh-nim-account-pull', 'v1'),
    conditions: [
      {
        type: 'AccountStatus',
        status: 'True',
        reason: 'AccountSuccessful',
        message: 'reconciled successfully',
        lastTransitionTime: '2025-01-01T00:00:00Z',
      },
    ],
    lastAccountCheck: '2025-01-01T00:00:00Z',
  },
};

/** The dashboard's deploy plan for a request, in this test's namespace. */
function plan(overrides: Parameters<typeof mockDeployRequest>[0], keyCollection = true) {
  const request = mockDeployRequest(overrides);
  return buildDeployPlan({
    namespace: NS,
    request,
    model: mockModelEntry(),
    template: buildRuntimeTemplate(request.protocol),
    keyCollection,
    apiKey: keyCollection ? 'nvapi-test-conformance' : undefined,
  });
}
const HTTP_PLAN = plan({ name: 'llama-http', externalRoute: true, tokenAuth: true });
const GRPC_PLAN = plan(
  {
    name: 'llama-grpc',
    protocol: 'grpc',
    replicas: { min: 0, max: 3 },
    resources: {
      gpus: 0,
      cpu: { request: '500m', limit: '1' },
      memory: { request: '1Gi', limit: '2Gi' },
    },
    storage: { mode: 'existing', claimName: 'shared-cache', subPath: 'llama' },
  },
  false,
);

/** Without metadata.namespace: the test's collection path sets it. */
function withoutNamespace(object: { metadata: object }): Record<string, unknown> {
  const { namespace: _namespace, ...metadata } = object.metadata as { namespace?: string };
  return { ...object, metadata };
}

const GPU_PROFILE = {
  spec: {
    identifiers: [
      {
        identifier: 'cpu',
        displayName: 'CPU',
        resourceType: 'CPU',
        minCount: 1,
        maxCount: 8,
        defaultCount: 2,
      },
      {
        identifier: 'memory',
        displayName: 'Memory',
        resourceType: 'Memory',
        minCount: '2Gi',
        maxCount: '64Gi',
        defaultCount: '16Gi',
      },
      {
        identifier: 'nvidia.com/gpu',
        displayName: 'NVIDIA GPU',
        resourceType: 'Accelerator',
        minCount: 1,
        defaultCount: 1,
      },
    ],
    scheduling: {
      type: 'Node',
      node: {
        nodeSelector: { 'nvidia.com/gpu.present': 'true' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      },
    },
  },
};

/** Before the product's CRD patches: both sets as odh-dashboard and the operator ship them. */
const BEFORE_PATCHES: Step[] = [
  // DataScienceCluster: the NIM block the upgrade reads and removes.
  ...creates('DSC v1 with nim', KINDS.dsc, 'v1', 'dsc-v1', dscSpec(OLD_NIM)),
  ...reads('DSC v1 with nim', KINDS.dsc, ['v1', 'v2'], 'dsc-v1'),
  ...creates('DSC v2 with nim', KINDS.dsc, 'v2', 'dsc-v2', dscSpec(OLD_NIM)),
  ...reads('DSC v2 with nim', KINDS.dsc, ['v1', 'v2'], 'dsc-v2'),
  ...creates('DSC without nim (defaulted)', KINDS.dsc, 'v2', 'dsc-defaults', dscSpec(undefined)),
  ...creates('DSC with an empty nim (defaulted)', KINDS.dsc, 'v1', 'dsc-empty-nim', dscSpec({})),
  ...creates('DSC without kserve', KINDS.dsc, 'v2', 'dsc-no-kserve', {
    spec: { components: { dashboard: { managementState: 'Removed' } } },
  }),
  ...creates(
    'DSC with an unknown kserve field and component',
    KINDS.dsc,
    'v2',
    'dsc-unknown',
    {
      spec: {
        components: {
          kserve: { managementState: 'Managed', nimm: {} },
          notAComponent: { managementState: 'Managed' },
        },
      },
    },
    'rejected',
  ),
  ...creates('DSC v1 with a v1-only component', KINDS.dsc, 'v1', 'dsc-codeflare', {
    spec: { components: { codeflare: { managementState: 'Removed' } } },
  }),
  ...reads('DSC v1 with a v1-only component', KINDS.dsc, ['v1', 'v2'], 'dsc-codeflare'),
  ...creates(
    'DSC with a bad nim managementState',
    KINDS.dsc,
    'v2',
    'dsc-bad',
    dscSpec({ managementState: 'Unmanaged', airGapped: 'yes' }),
    'rejected',
    'rejected',
  ),
  patches('DSC v1 nim removed by the upgrade', KINDS.dsc, 'v1', 'dsc-v1', REMOVE_NIM),
  ...reads('DSC v1 nim removed by the upgrade', KINDS.dsc, ['v2'], 'dsc-v1'),
  patches('DSC v2 nim removed by the upgrade', KINDS.dsc, 'v2', 'dsc-v2', REMOVE_NIM, {
    strict: true,
  }),
  // DSCInitialization: where the product reads the applications namespace.
  ...creates('DSCI as the tests write it', KINDS.dsci, 'v1', 'dsci', {
    spec: { applicationsNamespace: 'nim-apps', monitoring: { managementState: 'Managed' } },
  }),
  ...reads('DSCI as the tests write it', KINDS.dsci, ['v1', 'v2'], 'dsci'),
  ...creates('DSCI without applicationsNamespace (defaulted)', KINDS.dsci, 'v2', 'dsci-default', {
    spec: {},
  }),
  patches(
    'DSCI applicationsNamespace changed (immutable)',
    KINDS.dsci,
    'v2',
    'dsci',
    { spec: { applicationsNamespace: 'elsewhere' } },
    { expect: 'rejected' },
  ),
  // OdhDashboardConfig: no nimConfig upstream until the patch.
  ...creates(
    'ODC as the upgrade fixture has it',
    KINDS.odc,
    'v1alpha',
    'odc-fixture',
    FIXTURE_DASHBOARD,
  ),
  ...creates(
    'ODC with nimConfig, unpatched',
    KINDS.odc,
    'v1alpha',
    'odc-nim',
    FULL_NIM_CONFIG,
    'rejected',
  ),
  ...creates(
    'ODC created by the upgrade, unpatched',
    KINDS.odc,
    'v1alpha',
    DASHBOARD_CONFIG_NAME,
    DASHBOARD_SETTINGS,
    'rejected',
  ),
  patches(
    'ODC settings by the upgrade, unpatched',
    KINDS.odc,
    'v1alpha',
    'odc-fixture',
    DASHBOARD_SETTINGS,
  ),
  patches(
    'ODC settings by the upgrade, unpatched',
    KINDS.odc,
    'v1alpha',
    'odc-fixture',
    DASHBOARD_SETTINGS,
    { strict: true, expect: 'rejected' },
  ),
  ...creates('ODC without spec', KINDS.odc, 'v1alpha', 'odc-no-spec', {}, 'rejected', 'rejected'),
  ...creates(
    'ODC with status and an unknown flag',
    KINDS.odc,
    'v1alpha',
    'odc-status',
    {
      spec: { dashboardConfig: { disableNIMModelServing: true, disableNIM: true } },
      status: { ready: true },
    },
    'rejected',
  ),
  // Account: the old design's, with its status subresource.
  ...creates('Account', KINDS.account, 'v1', 'odh-nim-account', ACCOUNT),
  patches('Account status', KINDS.account, 'v1', 'odh-nim-account', ACCOUNT_STATUS, {
    subresource: 'status',
  }),
  ...reads('Account status', KINDS.account, ['v1'], 'odh-nim-account'),
  patches(
    'Account status with a bad condition',
    KINDS.account,
    'v1',
    'odh-nim-account',
    {
      status: { conditions: [{ type: 'AccountStatus', status: 'Maybe' }] },
    },
    { subresource: 'status', expect: 'rejected' },
  ),
  ...creates('Account with status in the body', KINDS.account, 'v1', 'account-with-status', {
    ...ACCOUNT,
    ...ACCOUNT_STATUS,
  }),
  ...creates(
    'Account without apiKeySecret',
    KINDS.account,
    'v1',
    'account-bad',
    {
      spec: { validationRefreshRate: 'often' },
    },
    'rejected',
    'rejected',
  ),
  // ServingRuntime and InferenceService: exactly as the dashboard's deploy plan builds them.
  ...creates(
    'ServingRuntime (HTTP, key collected, new PVC)',
    KINDS.sr,
    'v1alpha1',
    'llama-http',
    withoutNamespace(HTTP_PLAN.servingRuntime),
  ),
  ...creates(
    'ServingRuntime (gRPC, no key, existing PVC)',
    KINDS.sr,
    'v1alpha1',
    'llama-grpc',
    withoutNamespace(GRPC_PLAN.servingRuntime),
  ),
  patches(
    'ServingRuntime template name by the upgrade',
    KINDS.sr,
    'v1alpha1',
    'llama-http',
    {
      metadata: { annotations: { [ANNOTATIONS.templateName]: 'nvidia-nim-runtime-http' } },
    },
    { strict: true },
  ),
  ...creates(
    'ServingRuntime with status and a duplicate env',
    KINDS.sr,
    'v1alpha1',
    'sr-bad',
    {
      ...withoutNamespace(HTTP_PLAN.servingRuntime),
      spec: {
        ...HTTP_PLAN.servingRuntime.spec,
        containers: HTTP_PLAN.servingRuntime.spec.containers.map((c) => ({
          ...c,
          env: [...c.env, { name: 'NIM_CACHE_PATH', value: '/elsewhere' }],
        })),
      },
      status: { phase: 'Ready' },
    },
    'rejected',
    'rejected',
  ),
  ...creates(
    'ServingRuntime with unknown fields',
    KINDS.sr,
    'v1alpha1',
    'sr-unknown',
    {
      ...withoutNamespace(HTTP_PLAN.servingRuntime),
      spec: {
        ...HTTP_PLAN.servingRuntime.spec,
        modelFormat: 'nim',
        containers: HTTP_PLAN.servingRuntime.spec.containers.map((c) => ({ ...c, gpu: 1 })),
      },
    },
    'rejected',
  ),
  ...creates('ClusterServingRuntime', KINDS.csr, 'v1alpha1', 'nim-cluster-runtime', {
    spec: HTTP_PLAN.servingRuntime.spec,
  }),
  ...creates(
    'InferenceService (route, token auth)',
    KINDS.isvc,
    'v1beta1',
    'llama-http',
    withoutNamespace(HTTP_PLAN.inferenceService),
  ),
  ...creates(
    'InferenceService (scale to zero)',
    KINDS.isvc,
    'v1beta1',
    'llama-grpc',
    withoutNamespace(GRPC_PLAN.inferenceService),
  ),
  patches(
    'InferenceService restarted by a key rotation',
    KINDS.isvc,
    'v1beta1',
    'llama-http',
    {
      spec: {
        predictor: { annotations: { [ANNOTATIONS.keyVersion]: '0123456789abcdef' } },
      },
    },
    { strict: true },
  ),
  patches(
    'InferenceService status as KServe writes it',
    KINDS.isvc,
    'v1beta1',
    'llama-http',
    {
      status: {
        url: 'https://llama-http.example.com',
        address: { url: 'http://llama-http-predictor.crd-conformance.svc.cluster.local' },
        conditions: [{ type: 'Ready', status: 'True' }],
        modelStatus: { states: { activeModelState: 'Loaded' }, copies: { totalCopies: 1 } },
        components: { predictor: { latestReadyRevision: 'llama-http-predictor-00001' } },
      },
    },
    { subresource: 'status' },
  ),
  ...reads('InferenceService status as KServe writes it', KINDS.isvc, ['v1beta1'], 'llama-http'),
  ...creates(
    'InferenceService with unknown and bad fields',
    KINDS.isvc,
    'v1beta1',
    'isvc-bad',
    {
      spec: {
        predictor: {
          minReplica: 1,
          model: { modelFormat: { name: 'x' }, runtime: 'llama-http', gpu: 1 },
        },
      },
    },
    'rejected',
  ),
  ...creates(
    'InferenceService without predictor',
    KINDS.isvc,
    'v1beta1',
    'isvc-empty',
    {
      spec: {},
    },
    'rejected',
    'rejected',
  ),
  // HardwareProfile: the GPU profile an admin puts beside NIM.
  ...creates('HardwareProfile for NVIDIA GPUs', KINDS.hwp, 'v1', 'nvidia-gpu', GPU_PROFILE),
  ...reads('HardwareProfile for NVIDIA GPUs', KINDS.hwp, ['v1', 'v1alpha1'], 'nvidia-gpu'),
  ...creates(
    'HardwareProfile queue without kueue',
    KINDS.hwp,
    'v1',
    'hwp-bad',
    {
      spec: { scheduling: { type: 'Queue', node: {} } },
    },
    'rejected',
    'rejected',
  ),
];

/** After both product patches, applied to the live CRDs as on a cluster. */
const AFTER_PATCHES: Step[] = [
  ...reads(
    'DSC stored with the nim default, after the DSC patch',
    KINDS.dsc,
    ['v1', 'v2'],
    'dsc-v1',
  ),
  ...reads('DSC stored with nim, after the DSC patch', KINDS.dsc, ['v1', 'v2'], 'dsc-empty-nim'),
  ...creates('DSC with nim, patched', KINDS.dsc, 'v1', 'dsc-patched', dscSpec(OLD_NIM), 'rejected'),
  ...creates('DSC without nim, patched', KINDS.dsc, 'v2', 'dsc-patched-no-nim', dscSpec(undefined)),
  patches('DSC nim removed by the upgrade, patched', KINDS.dsc, 'v2', 'dsc-defaults', REMOVE_NIM, {
    strict: true,
  }),
  ...reads('DSC nim removed by the upgrade, patched', KINDS.dsc, ['v1', 'v2'], 'dsc-defaults'),
  ...creates(
    'ODC with nimConfig, patched',
    KINDS.odc,
    'v1alpha',
    'odc-nim-patched',
    FULL_NIM_CONFIG,
  ),
  ...creates(
    'ODC created by the upgrade, patched',
    KINDS.odc,
    'v1alpha',
    `${DASHBOARD_CONFIG_NAME}-patched`,
    DASHBOARD_SETTINGS,
  ),
  patches(
    'ODC settings by the upgrade, patched',
    KINDS.odc,
    'v1alpha',
    'odc-fixture',
    DASHBOARD_SETTINGS,
    { strict: true },
  ),
  ...reads('ODC written before the patch', KINDS.odc, ['v1alpha'], 'odc-nim'),
  ...creates(
    'ODC customConfigMap without a name, patched',
    KINDS.odc,
    'v1alpha',
    'odc-bad-cm',
    {
      spec: { nimConfig: { customConfigMap: { namespace: 'x' }, disableKeyValidation: 'true' } },
    },
    'rejected',
    'rejected',
  ),
];

const STEPS = [...BEFORE_PATCHES, ...AFTER_PATCHES];

/** Every CRD of both sets but the Template, which has no upstream CRD. */
const CRDS = Object.values(CRD_NAMES).filter((name) => name !== CRD_NAMES.template);

/** What of a CRD the product depends on: names, scope, versions, subresources, nimConfig. */
function crdShape(crd: unknown): unknown {
  const { spec } = crd as V1CustomResourceDefinition;
  return {
    group: spec.group,
    scope: spec.scope,
    names: spec.names,
    conversion: spec.conversion?.strategy,
    versions: spec.versions.map((v) => ({
      name: v.name,
      served: v.served,
      storage: v.storage,
      deprecated: v.deprecated ?? false,
      deprecationWarning: v.deprecationWarning,
      status: v.subresources?.status !== undefined,
      scale: v.subresources?.scale !== undefined,
      // The patched schema itself: the same patch on both, so the same subtree.
      nimConfig: (v.schema?.openAPIV3Schema?.properties?.['spec']?.properties ?? {})['nimConfig'],
    })),
  };
}

/** Runs the scenario on a fresh control plane with `set`; returns each step's outcome. */
async function runOn(set: CrdSet): Promise<Map<string, Outcome>> {
  const plane = await startControlPlane({ crds: set.files, controllers: false });
  try {
    const kc = plane.adminKubeConfig();
    const outcomes = new Map<string, Outcome>();
    const ns = await send(kc, {
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    });
    expect(ns.status).toBe(201);
    for (const step of BEFORE_PATCHES) outcomes.set(step.name, await send(kc, step.call));
    await applyCrdPatches(kc, ALL_CRD_PATCHES);
    for (const step of AFTER_PATCHES) outcomes.set(step.name, await send(kc, step.call));
    for (const name of CRDS) {
      const crd = await send(kc, {
        method: 'GET',
        path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
      });
      outcomes.set(`CRD ${name}`, { ...crd, body: crdShape(crd.body) });
    }
    return outcomes;
  } finally {
    await plane.stop();
  }
}

const upstreamCrds = findUpstreamCrds();

describe.skipIf(upstreamCrds.missing.length > 0)(
  'the project CRDs behave as the upstream CRDs (../shared)',
  () => {
    let upstream: Map<string, Outcome>;
    let project: Map<string, Outcome>;

    beforeAll(async () => {
      upstream = await runOn(selectCrdSet({ set: 'upstream' }));
      project = await runOn(selectCrdSet({ set: 'project' }));
      (await import('node:fs')).writeFileSync(
        '/tmp/conformance-dump.json',
        JSON.stringify(
          { upstream: Object.fromEntries(upstream), project: Object.fromEntries(project) },
          null,
          1,
        ),
      ); // DEBUG
    }, 300_000);

    it('the scenario has no step twice', () => {
      expect(new Set(STEPS.map((s) => s.name)).size).toBe(STEPS.length);
    });

    it.each(CRDS)('CRD %s: same names, scope, versions and subresources', (name) => {
      const theirs = upstream.get(`CRD ${name}`);
      expect(theirs?.status).toBe(200);
      expect(project.get(`CRD ${name}`)).toEqual(theirs);
    });

    it.each(STEPS.map((step) => [step.name, step] as const))('%s', (name, step) => {
      const theirs = upstream.get(name);
      const ours = project.get(name);
      expect(theirs, 'upstream outcome').toBeDefined();
      expect(theirs?.status, JSON.stringify(theirs?.body)).toSatisfy((status: number) =>
        step.expect === 'ok' ? status < 300 : status >= 400 && status < 500 && status !== 404,
      );
      expect(ours).toEqual(theirs);
    });

    it('shows the behaviours the product must live with', () => {
      const spec = (name: string): unknown =>
        (upstream.get(name)?.body as { spec?: unknown })?.spec;
      // nim defaults, and comes back after the upgrade removes it, until the DSC patch.
      expect(spec('DSC without nim (defaulted): create')).toMatchObject({
        components: { kserve: { nim: { managementState: 'Managed', airGapped: false } } },
      });
      expect(spec('DSC v1 nim removed by the upgrade: read as v2')).toMatchObject({
        components: { kserve: { nim: { managementState: 'Managed', airGapped: false } } },
      });
      expect(spec('DSC nim removed by the upgrade, patched: read as v2')).toEqual({
        components: {
          dashboard: { managementState: 'Managed' },
          kserve: {
            managementState: 'Managed',
            modelsAsService: { managementState: 'Removed' },
            rawDeploymentServiceConfig: 'Headless',
            wva: { managementState: 'Removed' },
          },
        },
      });
      // nimConfig is pruned with a warning, or rejected when strict, until the ODC patch.
      expect(upstream.get('ODC with nimConfig, unpatched: create')?.warnings).toEqual([
        expect.stringContaining('unknown field \\"spec.nimConfig\\"'),
      ]);
      expect(spec('ODC with nimConfig, unpatched: create')).toEqual({
        dashboardConfig: { disableNIMModelServing: false },
      });
      expect(spec('ODC with nimConfig, patched: create')).toEqual(FULL_NIM_CONFIG.spec);
    });
  },
);
