import type { V1PersistentVolumeClaim, V1Secret } from '@kubernetes/client-node';

import {
  ANNOTATIONS,
  describeKeyProblem,
  nimPvcName,
  NIM_CACHE_VOLUME,
  NIM_PULL_SECRET_NAME,
  NIM_SECRET_NAME,
  type InferenceServiceObject,
  type TemplateObject,
} from '@odh-nim/contract';

import {
  parseDeployRequest,
  type DeployRequest,
  type DeployResponse,
  type DeployStep,
  type FieldIssue,
  type ObjectAction,
  type ObjectRef,
} from '../../api/types.js';
import type { ClusterCache } from '../cluster-cache.js';
import { DashboardError, DeployError, RequestValidationError } from '../errors.js';
import { checkKey, keyErrorOf, type KeyValidator } from '../key-validation.js';
import type { KubeClients } from '../k8s/clients.js';
import { fromKubernetesError, isAlreadyExists, kubernetesMessageOf } from '../k8s/errors.js';
import {
  createInferenceService,
  deleteInferenceService,
  getInferenceService,
} from '../k8s/inference-services/k8s.js';
import type { InferenceServiceRead } from '../k8s/inference-services/types.js';
import { inferenceServiceOwner, servingRuntimeOwner } from '../k8s/owner-references.js';
import { createPvc, getPvc, storageClassExists } from '../k8s/pvcs/k8s.js';
import { getSecret } from '../k8s/secrets/k8s.js';
import {
  createServingRuntime,
  deleteServingRuntime,
  getServingRuntime,
} from '../k8s/serving-runtimes/k8s.js';
import type { ServingRuntimeRead } from '../k8s/serving-runtimes/types.js';
import type { ServerLogger } from '../logger.js';
import { createOwnedCachePvc, shareCachePvc, undoPvcWrite, type PvcWrite } from './cache-pvc.js';
import { syncKeyVersion, syncKeyVersions } from './key-restarts.js';
import { keyVersionOf, storedKeyOf } from './key-version.js';
import { buildDeploymentItem } from './nim-runtime.js';
import { buildDeployPlan, checkAgainstCatalog, type DeployPlan } from './plan.js';
import { ensureProjectKey, type EnsuredProjectKey, type KeyRequest } from './project-key.js';
import { dryRunSecretWrite, undoSecretWrite } from './secret-writes.js';
import { createTracked, DeployUndo } from './tracked-create.js';

/** What a deploy needs, besides the request. */
export interface DeployDeps {
  /** Clients bound to the caller's identity. */
  api: KubeClients;
  cache: ClusterCache;
  ngc: KeyValidator;
  registry?: string | undefined;
  logger: ServerLogger;
}

/**
 * The synchronous deploy of SPEC §3.4, as the caller: validate everything (fields, catalog,
 * Template, uniqueness, storage, key), dry-run every object, then write the ServingRuntime, the
 * secrets it owns, the InferenceService and the PVC it owns. A failure undoes what this attempt
 * wrote and throws a {@link DeployError} naming the step.
 *
 * Safe against concurrent requests on any backend replica: only the ServingRuntime's create
 * decides who gets a name, shared objects are written with resourceVersion preconditions and
 * retried, and owner references let the garbage collector, not a listing, decide when a shared
 * object goes.
 */
export async function deployNim(
  deps: DeployDeps,
  namespace: string,
  body: unknown,
): Promise<DeployResponse> {
  const { request, template, model, existingSecrets, keyValidation } = await validateStep(
    deps,
    namespace,
    body,
  );
  const want = deps.cache.settings.keyCollection
    ? keyRequestOf(request, existingSecrets)
    : undefined;
  let plan: DeployPlan;
  try {
    plan = buildDeployPlan({
      namespace,
      request,
      model,
      template,
      keyCollection: deps.cache.settings.keyCollection,
      apiKey: want?.apiKey,
      registry: deps.registry,
    });
  } catch (error) {
    throw asDeployError('validate', error, 'building the objects');
  }

  await dryRunStep(deps.api, plan, existingSecrets);
  const written = await writeStep(deps, plan, want);
  const restarts = await restartStep(deps, written);
  deps.logger.info(
    {
      namespace,
      deployment: request.name,
      model: model.name,
      tag: request.tag,
      keyInUse: written.key?.keyInUse,
      restarted: restarts.restarted?.length,
    },
    'NIM deployment created',
  );
  return {
    deployment: buildDeploymentItem({
      runtime: written.servingRuntime,
      inferenceService: written.inferenceService,
      catalog: deps.cache.catalog.byName,
      pvcs: new Map(written.pvc?.metadata?.name ? [[written.pvc.metadata.name, written.pvc]] : []),
    }),
    objects: written.objects,
    keyValidation,
    ...(written.key ? { keyInUse: written.key.keyInUse } : {}),
    ...restarts,
  };
}

interface ValidatedDeploy {
  request: DeployRequest;
  template: TemplateObject;
  model: NonNullable<ReturnType<typeof checkAgainstCatalog>['model']>;
  existingSecrets: Map<string, V1Secret | undefined>;
  keyValidation: DeployResponse['keyValidation'];
}

async function validateStep(
  deps: DeployDeps,
  namespace: string,
  body: unknown,
): Promise<ValidatedDeploy> {
  const parsed = parseDeployRequest(body);
  if (!parsed.ok) throw new DeployError('validate', new RequestValidationError(parsed.issues));
  const request = parsed.value;
  const settings = deps.cache.settings;

  let catalogCheck: ReturnType<typeof checkAgainstCatalog>;
  try {
    catalogCheck = checkAgainstCatalog(request, deps.cache.catalog);
  } catch (error) {
    throw asDeployError('validate', error, 'reading the catalog');
  }
  const issues: FieldIssue[] = [...catalogCheck.issues];
  const template = deps.cache.getTemplate(request.protocol);
  if (settings.keyCollection && request.useExistingKey !== true) {
    if (request.apiKey === undefined || request.apiKey.trim() === '') {
      issues.push({ field: 'apiKey', message: 'is required (or set useExistingKey)' });
    } else {
      const problem = describeKeyProblem(request.apiKey);
      if (problem) {
        throw new DeployError(
          'validate',
          new DashboardError('legacy-key', problem, {
            status: 400,
            issues: [{ field: 'apiKey', message: problem }],
          }),
        );
      }
    }
  }
  if (issues.length > 0) throw new DeployError('validate', new RequestValidationError(issues));
  if (!template) {
    throw new DeployError(
      'validate',
      new DashboardError(
        'template-not-found',
        `The ${request.protocol.toUpperCase()} runtime Template is not installed in the applications namespace; ask your administrator to install the NIM manifests.`,
        { status: 409, field: 'protocol' },
      ),
    );
  }
  const model = catalogCheck.model;
  if (!model) throw new DeployError('validate', new RequestValidationError(catalogCheck.issues));

  const existingSecrets = await checkCluster(deps.api, namespace, request);

  let keyValidation: DeployResponse['keyValidation'];
  if (!settings.keyCollection) keyValidation = 'not-collected';
  else if (request.useExistingKey === true) keyValidation = 'existing-key';
  else if (!settings.keyValidation) keyValidation = 'skipped';
  else {
    const result = await checkKey(deps.ngc, request.apiKey ?? '');
    const error = keyErrorOf(result);
    if (error) throw new DeployError('key-validation', error);
    keyValidation = result.kind;
  }
  return { request, template, model, existingSecrets, keyValidation };
}

/** Reads, as the caller, what must (not) exist; returns the current secrets. */
async function checkCluster(
  api: KubeClients,
  namespace: string,
  request: DeployRequest,
): Promise<Map<string, V1Secret | undefined>> {
  const claimName =
    request.storage.mode === 'existing' ? request.storage.claimName : nimPvcName(request.name);
  const storageClass =
    request.storage.mode === 'new' ? request.storage.storageClassName : undefined;
  let pvc: V1PersistentVolumeClaim | undefined;
  let results: [
    InferenceServiceRead | undefined,
    ServingRuntimeRead | undefined,
    V1Secret | undefined,
    V1Secret | undefined,
    boolean | undefined,
  ];
  try {
    // The PVC first: a deploy makes its PVC after its ServingRuntime, so a PVC seen here with a
    // ServingRuntime of the name seen after it means "name taken", not "PVC taken".
    pvc = await getPvc(api, namespace, claimName);
    results = await Promise.all([
      getInferenceService(api, namespace, request.name),
      getServingRuntime(api, namespace, request.name),
      getSecret(api, namespace, NIM_SECRET_NAME),
      getSecret(api, namespace, NIM_PULL_SECRET_NAME),
      storageClass ? storageClassExists(api, storageClass) : Promise.resolve(true),
    ]);
  } catch (error) {
    throw asDeployError('validate', error, `reading project ${namespace}`);
  }
  const [isvc, runtime, keySecret, pullSecret, classExists] = results;
  if (isvc || runtime) throw new DeployError('validate', nameTaken(namespace, request.name));
  if (request.storage.mode === 'new' && pvc) {
    throw new DeployError('validate', pvcTaken(namespace, claimName));
  }
  const issues: FieldIssue[] = [];
  if (request.storage.mode === 'existing' && (!pvc || pvc.metadata?.deletionTimestamp)) {
    issues.push({
      field: 'storage.claimName',
      message: `PVC "${claimName}" ${pvc ? 'is being deleted' : 'does not exist'} in project ${namespace}`,
    });
  }
  if (classExists === false) {
    issues.push({
      field: 'storage.storageClassName',
      message: `StorageClass "${storageClass ?? ''}" does not exist`,
    });
  }
  if (request.useExistingKey === true && storedKeyOf(keySecret) === undefined) {
    issues.push({
      field: 'useExistingKey',
      message: `project ${namespace} has no stored NGC key (${NIM_SECRET_NAME}); enter a key`,
    });
  }
  if (issues.length > 0) throw new DeployError('validate', new RequestValidationError(issues));
  return new Map([
    [NIM_SECRET_NAME, keySecret],
    [NIM_PULL_SECRET_NAME, pullSecret],
  ]);
}

/** The key the request asks for: its own, or the one stored in the project (read above). */
function keyRequestOf(
  request: DeployRequest,
  existingSecrets: Map<string, V1Secret | undefined>,
): KeyRequest {
  if (request.useExistingKey === true) {
    // Kept in memory: if the secrets go (the last deployment deleted meanwhile), they are
    // written again with it.
    const stored = storedKeyOf(existingSecrets.get(NIM_SECRET_NAME)) ?? '';
    return { apiKey: stored, source: 'stored', replace: false };
  }
  return {
    apiKey: (request.apiKey ?? '').trim(),
    source: 'request',
    replace: request.replaceStoredKey ?? true,
  };
}

/** Server-side dry run of every object, as the caller: admission and RBAC answer, nothing is stored. */
async function dryRunStep(
  api: KubeClients,
  plan: DeployPlan,
  existingSecrets: Map<string, V1Secret | undefined>,
): Promise<void> {
  const { name, namespace = '' } = plan.servingRuntime.metadata;
  const calls: [ObjectRef, Promise<unknown>][] = [
    [
      { kind: 'ServingRuntime', name },
      createServingRuntime(api, plan.servingRuntime, { dryRun: true }),
    ],
    ...plan.secrets.map((secret): [ObjectRef, Promise<unknown>] => [
      { kind: 'Secret', name: secret.metadata.name },
      dryRunSecretWrite(api, secret, existingSecrets.get(secret.metadata.name)),
    ]),
    [
      { kind: 'InferenceService', name: plan.inferenceService.metadata.name },
      createInferenceService(api, plan.inferenceService, { dryRun: true }),
    ],
    ...(plan.pvc
      ? [
          [
            { kind: 'PersistentVolumeClaim', name: plan.pvc.metadata.name },
            createPvc(api, plan.pvc, { dryRun: true }),
          ] satisfies [ObjectRef, Promise<unknown>],
        ]
      : []),
  ];
  const settled = await Promise.allSettled(calls.map(([, call]) => call));
  for (const [index, outcome] of settled.entries()) {
    if (outcome.status === 'fulfilled') continue;
    const ref = calls[index]?.[0];
    const error: unknown = outcome.reason;
    if (isAlreadyExists(error)) {
      // Another deploy of this name got there first; or, for the PVC, someone's PVC.
      const taken =
        ref?.kind !== 'PersistentVolumeClaim' || (await isNameTaken(api, namespace, name));
      throw new DeployError(
        'dry-run',
        taken ? nameTaken(namespace, name) : pvcTaken(namespace, ref.name),
      );
    }
    throw asDeployError('dry-run', error, `dry run of ${ref?.kind ?? 'object'} ${ref?.name ?? ''}`);
  }
}

interface WriteResult {
  objects: ObjectAction[];
  servingRuntime: ServingRuntimeRead;
  inferenceService: InferenceServiceRead;
  pvc: V1PersistentVolumeClaim | undefined;
  key: EnsuredProjectKey | undefined;
}

/**
 * The real writes, each owner before what it owns: the ServingRuntime, the secrets (owned by it
 * and every other object that uses them), the InferenceService, the PVC (owned by it). On a
 * failure, undoes this attempt's writes and throws.
 */
async function writeStep(
  deps: DeployDeps,
  plan: DeployPlan,
  want: KeyRequest | undefined,
): Promise<WriteResult> {
  const { api } = deps;
  const { name, namespace = '' } = plan.servingRuntime.metadata;
  const undo = new DeployUndo();
  const objects: ObjectAction[] = [];
  let step: DeployStep = 'serving-runtime';
  try {
    const servingRuntime = await createTracked(
      undo,
      { kind: 'ServingRuntime', name },
      () => createServingRuntime(api, plan.servingRuntime),
      (created) => deleteServingRuntime(api, { namespace, name, preconditions: uidOf(created) }),
    );
    objects.push({ kind: 'ServingRuntime', name, action: 'created' });

    step = 'secrets';
    const key = want
      ? await ensureProjectKey({
          api,
          namespace,
          want,
          owner: servingRuntimeOwner(servingRuntime),
          registry: deps.registry,
          onWrite: (write) =>
            undo.add({ kind: 'Secret', name: write.name }, () =>
              undoSecretWrite(api, namespace, write),
            ),
        })
      : undefined;
    if (key) objects.push(...key.actions);

    step = 'inference-service';
    const isvcBody = withKeyVersion(
      plan.inferenceService,
      key ? keyVersionOf(namespace, key.apiKey) : undefined,
    );
    const inferenceService = await createTracked(
      undo,
      { kind: 'InferenceService', name },
      () => createInferenceService(api, isvcBody),
      (created) => deleteInferenceService(api, { namespace, name, preconditions: uidOf(created) }),
    );
    objects.push({ kind: 'InferenceService', name, action: 'created' });

    step = 'pvc';
    const pvc = await cacheStep(deps, { plan, inferenceService, undo });
    if (pvc.action) objects.push(pvc.action);
    return { objects, servingRuntime, inferenceService, pvc: pvc.pvc, key };
  } catch (error) {
    const reason = explainWriteError(step, error, plan);
    const rolledBack = await undo.run();
    deps.logger.warn(
      {
        namespace,
        step,
        status: reason.kubernetesStatus,
        removed: rolledBack.removed.length,
        restored: rolledBack.restored.length,
        rollbackFailures: rolledBack.failed.length,
      },
      `NIM deploy failed, rolled back: ${reason.message}`,
    );
    throw new DeployError(step, reason, rolledBack);
  }
}

/** The cache PVC: a new one owned by the InferenceService, or a reused one it shares. */
async function cacheStep(
  deps: DeployDeps,
  context: { plan: DeployPlan; inferenceService: InferenceServiceRead; undo: DeployUndo },
): Promise<{ pvc: V1PersistentVolumeClaim | undefined; action: ObjectAction | undefined }> {
  const { api } = deps;
  const { plan, undo } = context;
  const namespace = plan.servingRuntime.metadata.namespace ?? '';
  const owner = inferenceServiceOwner(context.inferenceService);
  const register = (write: PvcWrite): void =>
    undo.add({ kind: 'PersistentVolumeClaim', name: write.name }, () =>
      undoPvcWrite(api, namespace, write),
    );
  if (plan.pvc) {
    const { pvc, write } = await createOwnedCachePvc(api, plan.pvc, owner);
    register(write);
    return { pvc, action: { kind: 'PersistentVolumeClaim', name: write.name, action: 'created' } };
  }
  const claim = plan.servingRuntime.spec.volumes.find(
    (v) => v.name === NIM_CACHE_VOLUME,
  )?.persistentVolumeClaim;
  if (!claim) return { pvc: undefined, action: undefined };
  const { pvc, write } = await shareCachePvc(api, {
    namespace,
    claimName: claim.claimName,
    owner,
  });
  register(write);
  return {
    pvc,
    action: { kind: 'PersistentVolumeClaim', name: claim.claimName, action: 'reused' },
  };
}

/**
 * After the deploy: the pods must run the key the project holds now. When this deploy changed
 * it, every NIM deployment of the project restarts onto it; otherwise only this one is checked
 * (a rotation may have landed since it was created). Never fails the deploy: it happened.
 */
async function restartStep(
  deps: DeployDeps,
  written: WriteResult,
): Promise<Pick<DeployResponse, 'restarted' | 'restartFailed'>> {
  if (!written.key) return {};
  const own = written.inferenceService.metadata.name;
  try {
    if (!written.key.keyChanged) {
      await syncKeyVersion(deps.api, written.inferenceService, { keyChanged: false });
      return {};
    }
    const namespace = written.inferenceService.metadata.namespace ?? '';
    const result = await syncKeyVersions(deps.api, namespace, { keyChanged: true });
    const failed = result.failed.filter((failure) => failure.name !== own);
    return {
      restarted: result.restarted.filter((name) => name !== own),
      ...(failed.length > 0 ? { restartFailed: failed } : {}),
    };
  } catch (error) {
    const message = kubernetesMessageOf(error);
    deps.logger.warn({ deployment: own }, `could not restart onto the new key: ${message}`);
    return { restartFailed: [{ name: own, message }] };
  }
}

function explainWriteError(step: DeployStep, error: unknown, plan: DeployPlan): DashboardError {
  const { name, namespace = '' } = plan.servingRuntime.metadata;
  if (isAlreadyExists(error)) {
    if (step === 'serving-runtime' || step === 'inference-service') {
      return nameTaken(namespace, name);
    }
    if (step === 'pvc' && plan.pvc) return pvcTaken(namespace, plan.pvc.metadata.name);
  }
  return fromKubernetesError(error, `creating ${describeStep(step)}`);
}

/** 409 `already-exists`: the one answer about a taken deployment name. */
function nameTaken(namespace: string, name: string): DashboardError {
  return new DashboardError(
    'already-exists',
    `A deployment named "${name}" already exists in project ${namespace}.`,
    { status: 409, field: 'name' },
  );
}

function pvcTaken(namespace: string, claimName: string): DashboardError {
  return new DashboardError(
    'pvc-exists',
    `A PVC named "${claimName}" already exists in project ${namespace}; use it as existing storage or choose another name.`,
    { status: 409, field: 'storage' },
  );
}

async function isNameTaken(api: KubeClients, namespace: string, name: string): Promise<boolean> {
  const [runtime, isvc] = await Promise.all([
    getServingRuntime(api, namespace, name),
    getInferenceService(api, namespace, name),
  ]).catch(() => [undefined, undefined]);
  return runtime !== undefined || isvc !== undefined;
}

function withKeyVersion(
  isvc: InferenceServiceObject,
  keyVersion: string | undefined,
): InferenceServiceObject {
  if (keyVersion === undefined) return isvc;
  const { predictor } = isvc.spec;
  return {
    ...isvc,
    spec: {
      predictor: {
        ...predictor,
        annotations: { ...predictor.annotations, [ANNOTATIONS.keyVersion]: keyVersion },
      },
    },
  };
}

function uidOf(created: { metadata: { uid?: string | undefined } } | undefined): {
  uid?: string;
} {
  const uid = created?.metadata.uid;
  return uid ? { uid } : {};
}

function describeStep(step: DeployStep): string {
  switch (step) {
    case 'secrets':
      return `the secrets ${NIM_SECRET_NAME} and ${NIM_PULL_SECRET_NAME}`;
    case 'pvc':
      return 'the cache PVC';
    case 'serving-runtime':
      return 'the ServingRuntime';
    case 'inference-service':
      return 'the InferenceService';
    default:
      return step;
  }
}

function asDeployError(step: DeployStep, error: unknown, context: string): DeployError {
  if (error instanceof DeployError) return error;
  return new DeployError(step, fromKubernetesError(error, context));
}
