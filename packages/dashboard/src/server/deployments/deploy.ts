import type { V1Secret } from '@kubernetes/client-node';

import {
  decodeBase64,
  describeKeyProblem,
  NGC_API_KEY_ENV,
  nimPvcName,
  NIM_PULL_SECRET_NAME,
  NIM_SECRET_NAME,
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
  type RollbackReport,
} from '../../api/types.js';
import type { ClusterCache } from '../cluster-cache.js';
import { DashboardError, DeployError, RequestValidationError } from '../errors.js';
import { checkKey, keyErrorOf, type KeyValidator } from '../key-validation.js';
import type { KubeClients } from '../k8s/clients.js';
import { fromKubernetesError, kubernetesMessageOf } from '../k8s/errors.js';
import {
  createInferenceService,
  deleteInferenceService,
  getInferenceService,
} from '../k8s/inference-services/k8s.js';
import { createPvc, deletePvc, getPvc, storageClassExists } from '../k8s/pvcs/k8s.js';
import { getSecret } from '../k8s/secrets/k8s.js';
import {
  createServingRuntime,
  deleteServingRuntime,
  getServingRuntime,
} from '../k8s/serving-runtimes/k8s.js';
import { buildDeploymentItem } from './nim-runtime.js';
import { buildDeployPlan, checkAgainstCatalog, type DeployPlan } from './plan.js';
import { undoSecretWrite, writeSecret, type SecretWrite } from './secret-writes.js';
import { createTracked } from './tracked-create.js';
import type { ServerLogger } from '../logger.js';

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
 * Template, uniqueness, storage, key), dry-run every object, then write the secrets, PVC,
 * ServingRuntime and InferenceService. A failure undoes what this attempt wrote and throws a
 * {@link DeployError} naming the step.
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
  const settings = deps.cache.settings;
  let writeKey =
    settings.keyCollection && request.useExistingKey !== true ? request.apiKey : undefined;
  if (
    settings.keyCollection &&
    request.useExistingKey === true &&
    !existingSecrets.get(NIM_PULL_SECRET_NAME)
  ) {
    // The stored key without its pull secret (deleted by hand?): rebuild the pair from it.
    writeKey = storedKeyOf(existingSecrets.get(NIM_SECRET_NAME));
  }
  let plan: DeployPlan;
  try {
    plan = buildDeployPlan({
      namespace,
      request,
      model,
      template,
      keyCollection: settings.keyCollection,
      apiKey: writeKey,
      registry: deps.registry,
    });
  } catch (error) {
    throw asDeployError('validate', error, 'building the objects');
  }

  await dryRunStep(deps.api, plan, existingSecrets);
  const { objects, servingRuntime, inferenceService } = await writeStep(
    deps,
    namespace,
    plan,
    existingSecrets,
  );
  deps.logger.info(
    { namespace, deployment: request.name, model: model.name, tag: request.tag },
    'NIM deployment created',
  );
  return {
    deployment: buildDeploymentItem({
      runtime: servingRuntime,
      inferenceService,
      catalog: deps.cache.catalog.byName,
    }),
    objects,
    keyValidation,
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
  let results: [
    Awaited<ReturnType<typeof getInferenceService>>,
    Awaited<ReturnType<typeof getServingRuntime>>,
    Awaited<ReturnType<typeof getPvc>>,
    V1Secret | undefined,
    V1Secret | undefined,
    boolean | undefined,
  ];
  try {
    results = await Promise.all([
      getInferenceService(api, namespace, request.name),
      getServingRuntime(api, namespace, request.name),
      getPvc(api, namespace, claimName),
      getSecret(api, namespace, NIM_SECRET_NAME),
      getSecret(api, namespace, NIM_PULL_SECRET_NAME),
      storageClass ? storageClassExists(api, storageClass) : Promise.resolve(true),
    ]);
  } catch (error) {
    throw asDeployError('validate', error, `reading project ${namespace}`);
  }
  const [isvc, runtime, pvc, keySecret, pullSecret, classExists] = results;
  if (isvc || runtime) {
    throw new DeployError(
      'validate',
      new DashboardError(
        'already-exists',
        `A deployment named "${request.name}" already exists in project ${namespace}.`,
        { status: 409, field: 'name' },
      ),
    );
  }
  const issues: FieldIssue[] = [];
  if (request.storage.mode === 'existing' && !pvc) {
    issues.push({
      field: 'storage.claimName',
      message: `PVC "${claimName}" does not exist in project ${namespace}`,
    });
  }
  if (request.storage.mode === 'new' && pvc) {
    throw new DeployError(
      'validate',
      new DashboardError(
        'already-exists',
        `A PVC named "${claimName}" already exists in project ${namespace}; use it as existing storage or choose another name.`,
        { status: 409, field: 'storage' },
      ),
    );
  }
  if (classExists === false) {
    issues.push({
      field: 'storage.storageClassName',
      message: `StorageClass "${storageClass ?? ''}" does not exist`,
    });
  }
  if (request.useExistingKey === true && !keySecret) {
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

/** Server-side dry run of every object, as the caller: admission and RBAC answer, nothing is stored. */
async function dryRunStep(
  api: KubeClients,
  plan: DeployPlan,
  existingSecrets: Map<string, V1Secret | undefined>,
): Promise<void> {
  const calls: [ObjectRef, Promise<unknown>][] = [
    ...plan.secrets.map((secret): [ObjectRef, Promise<unknown>] => [
      { kind: 'Secret', name: secret.metadata.name },
      writeSecret(api, secret, existingSecrets.get(secret.metadata.name), { dryRun: true }),
    ]),
    ...(plan.pvc
      ? [
          [
            { kind: 'PersistentVolumeClaim', name: plan.pvc.metadata.name },
            createPvc(api, plan.pvc, { dryRun: true }),
          ] as [ObjectRef, Promise<unknown>],
        ]
      : []),
    [
      { kind: 'ServingRuntime', name: plan.servingRuntime.metadata.name },
      createServingRuntime(api, plan.servingRuntime, { dryRun: true }),
    ],
    [
      { kind: 'InferenceService', name: plan.inferenceService.metadata.name },
      createInferenceService(api, plan.inferenceService, { dryRun: true }),
    ],
  ];
  const settled = await Promise.allSettled(calls.map(([, call]) => call));
  for (const [index, outcome] of settled.entries()) {
    if (outcome.status === 'rejected') {
      const ref = calls[index]?.[0];
      throw asDeployError(
        'dry-run',
        outcome.reason,
        `dry run of ${ref?.kind ?? 'object'} ${ref?.name ?? ''}`,
      );
    }
  }
}

interface WriteResult {
  objects: ObjectAction[];
  servingRuntime: Awaited<ReturnType<typeof createServingRuntime>>;
  inferenceService: Awaited<ReturnType<typeof createInferenceService>>;
}

/** The real writes, in order; on a failure, undoes this attempt's writes and throws. */
async function writeStep(
  deps: DeployDeps,
  namespace: string,
  plan: DeployPlan,
  existingSecrets: Map<string, V1Secret | undefined>,
): Promise<WriteResult> {
  const { api } = deps;
  const secretWrites: SecretWrite[] = [];
  const created: ObjectRef[] = [];
  const objects: ObjectAction[] = [];
  let step: DeployStep = 'secrets';
  try {
    for (const secret of plan.secrets) {
      const write = await writeSecret(api, secret, existingSecrets.get(secret.metadata.name));
      secretWrites.push(write);
      objects.push({ kind: 'Secret', name: write.name, action: write.action });
    }
    if (plan.secrets.length === 0 && deps.cache.settings.keyCollection) {
      for (const name of [NIM_SECRET_NAME, NIM_PULL_SECRET_NAME]) {
        if (existingSecrets.get(name)) objects.push({ kind: 'Secret', name, action: 'reused' });
      }
    }
    step = 'pvc';
    if (plan.pvc) {
      const pvc = plan.pvc;
      await createTracked(created, { kind: 'PersistentVolumeClaim', name: pvc.metadata.name }, () =>
        createPvc(api, pvc),
      );
      objects.push({
        kind: 'PersistentVolumeClaim',
        name: plan.pvc.metadata.name,
        action: 'created',
      });
    } else {
      const claim = plan.servingRuntime.spec.volumes.find((v) => v.persistentVolumeClaim);
      if (claim?.persistentVolumeClaim) {
        objects.push({
          kind: 'PersistentVolumeClaim',
          name: claim.persistentVolumeClaim.claimName,
          action: 'reused',
        });
      }
    }
    step = 'serving-runtime';
    const servingRuntime = await createTracked(
      created,
      { kind: 'ServingRuntime', name: plan.servingRuntime.metadata.name },
      () => createServingRuntime(api, plan.servingRuntime),
    );
    objects.push({
      kind: 'ServingRuntime',
      name: plan.servingRuntime.metadata.name,
      action: 'created',
    });
    step = 'inference-service';
    const inferenceService = await createTracked(
      created,
      { kind: 'InferenceService', name: plan.inferenceService.metadata.name },
      () => createInferenceService(api, plan.inferenceService),
    );
    objects.push({
      kind: 'InferenceService',
      name: plan.inferenceService.metadata.name,
      action: 'created',
    });
    return { objects, servingRuntime, inferenceService };
  } catch (error) {
    const reason = fromKubernetesError(error, `creating ${describeStep(step)}`);
    const rolledBack = await rollback(deps, namespace, created, secretWrites);
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

/** Removes what this attempt created (newest first) and restores the secrets it updated. */
async function rollback(
  deps: DeployDeps,
  namespace: string,
  created: ObjectRef[],
  secretWrites: SecretWrite[],
): Promise<RollbackReport> {
  const report: RollbackReport = { removed: [], restored: [], failed: [] };
  for (const ref of [...created].reverse()) {
    try {
      if (ref.kind === 'InferenceService')
        await deleteInferenceService(deps.api, namespace, ref.name);
      else if (ref.kind === 'ServingRuntime')
        await deleteServingRuntime(deps.api, namespace, ref.name);
      else if (ref.kind === 'PersistentVolumeClaim') await deletePvc(deps.api, namespace, ref.name);
      report.removed.push(ref);
    } catch (error) {
      report.failed.push({ ...ref, message: kubernetesMessageOf(error) });
    }
  }
  for (const write of [...secretWrites].reverse()) {
    const ref: ObjectRef = { kind: 'Secret', name: write.name };
    try {
      const outcome = await undoSecretWrite(deps.api, namespace, write);
      if (outcome === 'removed') report.removed.push(ref);
      else if (outcome === 'restored') report.restored.push(ref);
    } catch (error) {
      report.failed.push({ ...ref, message: kubernetesMessageOf(error) });
    }
  }
  return report;
}

function storedKeyOf(secret: V1Secret | undefined): string | undefined {
  const encoded = secret?.data?.[NGC_API_KEY_ENV];
  return encoded ? decodeBase64(encoded) : undefined;
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
