import {
  ANNOTATIONS,
  buildInferenceService,
  buildNimCachePvc,
  buildNimSecrets,
  buildServingRuntime,
  nimPvcName,
  type InferenceServiceObject,
  type ModelEntry,
  type PersistentVolumeClaimObject,
  type ResourceRequirements,
  type SecretObject,
  type ServingRuntimeObject,
  type TemplateObject,
} from '@odh-nim/contract';

import type { DeployRequest, FieldIssue } from '../../api/types.js';
import { DashboardError } from '../errors.js';
import type { CatalogSnapshot } from '../k8s/catalog/snapshot.js';

const GPU = 'nvidia.com/gpu';
const MAX_TAGS_IN_MESSAGE = 8;

/** Everything a deploy writes, built before the first call. */
export interface DeployPlan {
  /** The two per-project secrets; empty when the key is not collected or the stored one is kept. */
  secrets: SecretObject[];
  /** The cache PVC, when the request asks for a new one. */
  pvc: PersistentVolumeClaimObject | undefined;
  servingRuntime: ServingRuntimeObject;
  inferenceService: InferenceServiceObject;
}

/** What {@link buildDeployPlan} needs besides the request. */
export interface DeployPlanParams {
  namespace: string;
  request: DeployRequest;
  model: ModelEntry;
  template: TemplateObject;
  /** False when `disableKeyCollection` is set. */
  keyCollection: boolean;
  /** The key to store; `undefined` keeps the stored secrets (or none are written). */
  apiKey: string | undefined;
  registry?: string | undefined;
}

/** Kubernetes resource requirements from the form's GPUs, CPU and memory. */
export function buildResourceRequirements(
  resources: DeployRequest['resources'],
): ResourceRequirements {
  const gpu = resources.gpus > 0 ? { [GPU]: String(resources.gpus) } : {};
  return {
    requests: { cpu: resources.cpu.request, memory: resources.memory.request, ...gpu },
    limits: { cpu: resources.cpu.limit, memory: resources.memory.limit, ...gpu },
  };
}

/** The objects of a NIM deployment (SPEC §2.3, §2.4), in the order they are created. */
export function buildDeployPlan(params: DeployPlanParams): DeployPlan {
  const { namespace, request } = params;
  const resources = buildResourceRequirements(request.resources);
  const pvc =
    request.storage.mode === 'new'
      ? buildNimCachePvc({
          deploymentName: request.name,
          namespace,
          displayName: request.displayName,
          size: request.storage.size,
          storageClassName: request.storage.storageClassName,
        })
      : undefined;
  const storage =
    request.storage.mode === 'new'
      ? { claimName: nimPvcName(request.name) }
      : { claimName: request.storage.claimName, subPath: request.storage.subPath };
  let servingRuntime: ServingRuntimeObject;
  try {
    servingRuntime = buildServingRuntime({
      template: params.template,
      name: request.name,
      namespace,
      displayName: request.displayName,
      model: params.model,
      tag: request.tag,
      registry: params.registry,
      resources,
      storage,
      keyCollection: params.keyCollection,
    });
  } catch (error) {
    throw new DashboardError(
      'template-not-found',
      `The runtime Template ${params.template.metadata.name} cannot be used: ${
        error instanceof Error ? error.message : 'invalid'
      }`,
      { status: 409, field: 'protocol', cause: error },
    );
  }
  if (pvc) {
    servingRuntime.metadata.annotations = {
      ...servingRuntime.metadata.annotations,
      [ANNOTATIONS.createdPvc]: pvc.metadata.name,
    };
  }
  const inferenceService = buildInferenceService({
    name: request.name,
    namespace,
    displayName: request.displayName,
    modelName: params.model.name,
    runtimeName: servingRuntime.metadata.name,
    minReplicas: request.replicas.min,
    maxReplicas: request.replicas.max,
    resources,
    externalRoute: request.externalRoute,
    tokenAuth: request.tokenAuth,
  });
  const secrets =
    params.keyCollection && params.apiKey !== undefined
      ? buildNimSecrets({ namespace, apiKey: params.apiKey.trim(), registry: params.registry })
      : [];
  return { secrets, pvc, servingRuntime, inferenceService };
}

/**
 * Checks the request against the catalog: the model exists and the tag is one of its tags.
 * Throws 409 when there is no catalog at all.
 */
export function checkAgainstCatalog(
  request: Pick<DeployRequest, 'modelName' | 'tag'>,
  catalog: CatalogSnapshot,
): { model: ModelEntry | undefined; issues: FieldIssue[] } {
  if (catalog.state !== 'ready') {
    throw new DashboardError(
      'catalog-not-installed',
      catalog.message ?? 'The NIM model catalog is not available.',
      { status: 409, field: 'modelName' },
    );
  }
  const model = catalog.byName.get(request.modelName);
  if (!model) {
    return {
      model,
      issues: [{ field: 'modelName', message: `"${request.modelName}" is not in the NIM catalog` }],
    };
  }
  if (!model.tags.includes(request.tag)) {
    const shown = model.tags.slice(0, MAX_TAGS_IN_MESSAGE).join(', ');
    const more = model.tags.length > MAX_TAGS_IN_MESSAGE ? ', …' : '';
    return {
      model,
      issues: [
        {
          field: 'tag',
          message: `"${request.tag}" is not a tag of ${model.name} (tags: ${shown}${more})`,
        },
      ],
    };
  }
  return { model, issues: [] };
}
