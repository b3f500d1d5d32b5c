import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';

import {
  ANNOTATIONS,
  LABELS,
  NIM_CACHE_VOLUME,
  NIM_CONTAINER_NAME,
  protocolOfTemplate,
  type ApiProtocol,
  type ModelEntry,
} from '@odh-nim/contract';

import type { Deployment } from '../../api/types.js';
import type { InferenceServiceRead } from '../k8s/inference-services/types.js';
import { isInferenceServiceOwner } from '../k8s/owner-references.js';
import type { ServingRuntimeRead } from '../k8s/serving-runtimes/types.js';
import { deriveDeploymentStatus } from './status.js';

const GPU = 'nvidia.com/gpu';

/**
 * True for a ServingRuntime of a NIM deployment: it carries the NIM runtime annotation, or was
 * made from one of the shipped NIM Templates.
 */
export function isNimServingRuntime(runtime: Pick<ServingRuntimeRead, 'metadata'>): boolean {
  const annotations = runtime.metadata.annotations ?? {};
  if (annotations[ANNOTATIONS.nimRuntime] === 'true') return true;
  const template = annotations[ANNOTATIONS.templateName];
  return template !== undefined && protocolOfTemplate(template) !== undefined;
}

/** The claim (and sub-path) a ServingRuntime mounts as the NIM cache, if any. */
export function cacheClaimOf(
  runtime: ServingRuntimeRead,
): { claimName: string; subPath?: string } | undefined {
  const volume = runtime.spec?.volumes?.find((v) => v.name === NIM_CACHE_VOLUME);
  const claimName = volume?.persistentVolumeClaim?.claimName;
  if (!claimName) return undefined;
  const subPath = nimContainer(runtime)?.volumeMounts?.find(
    (mount) => mount.name === NIM_CACHE_VOLUME,
  )?.subPath;
  return subPath ? { claimName, subPath } : { claimName };
}

/** Every PVC a ServingRuntime mounts. */
export function claimsOf(runtime: ServingRuntimeRead): string[] {
  return (runtime.spec?.volumes ?? []).flatMap((volume) =>
    volume.persistentVolumeClaim ? [volume.persistentVolumeClaim.claimName] : [],
  );
}

/** The protocol a NIM runtime serves: from its Template name, else from its port. */
export function protocolOfRuntime(runtime: ServingRuntimeRead): ApiProtocol | undefined {
  const template = runtime.metadata.annotations?.[ANNOTATIONS.templateName];
  const fromTemplate = template ? protocolOfTemplate(template) : undefined;
  if (fromTemplate) return fromTemplate;
  const ports = nimContainer(runtime)?.ports ?? [];
  if (ports.some((port) => port.name === 'h2c')) return 'grpc';
  if (ports.length > 0) return 'http';
  return undefined;
}

/** The project's PVCs by name; absent when the caller may not read them. */
export type PvcsByName = ReadonlyMap<string, V1PersistentVolumeClaim>;

/**
 * One entry of the deployment list, from a NIM ServingRuntime and its InferenceService (absent
 * while a deploy is half-way or after someone deleted it).
 */
export function buildDeploymentItem(options: {
  runtime: ServingRuntimeRead;
  inferenceService: InferenceServiceRead | undefined;
  catalog?: ReadonlyMap<string, ModelEntry>;
  pvcs?: PvcsByName | undefined;
}): Deployment {
  const { runtime, inferenceService: isvc } = options;
  const name = runtime.metadata.name;
  const format = runtime.spec?.supportedModelFormats?.[0];
  const container = nimContainer(runtime);
  const image = container?.image;
  const modelName = isvc?.spec?.predictor?.model?.modelFormat?.name ?? format?.name ?? '';
  const tag = format?.version ?? imageTag(image) ?? '';
  const modelDisplayName = options.catalog?.get(modelName)?.displayName;
  const predictor = isvc?.spec?.predictor;
  const resources = predictor?.model?.resources ?? container?.resources;
  const storage = describeStorage(runtime, isvc, options.pvcs);
  const protocol = protocolOfRuntime(runtime);
  const status = isvc
    ? deriveDeploymentStatus(isvc.status)
    : {
        phase: 'Pending' as const,
        reason: 'InferenceServiceMissing',
        message: `ServingRuntime ${name} has no InferenceService.`,
      };
  const externalUrl = isvc?.status?.url;
  const internalUrl = isvc?.status?.address?.url;
  const url = externalUrl ?? internalUrl;
  const gpus = resources?.limits?.[GPU] ?? resources?.requests?.[GPU];
  const displayName =
    isvc?.metadata.annotations?.[ANNOTATIONS.displayName] ??
    runtime.metadata.annotations?.[ANNOTATIONS.displayName] ??
    name;
  const created = isvc?.metadata.creationTimestamp ?? runtime.metadata.creationTimestamp;

  return {
    name,
    namespace: runtime.metadata.namespace ?? isvc?.metadata.namespace ?? '',
    displayName,
    modelName,
    ...(modelDisplayName ? { modelDisplayName } : {}),
    tag,
    ...(image ? { image } : {}),
    replicas: { min: predictor?.minReplicas ?? 1, max: predictor?.maxReplicas ?? 1 },
    ...(protocol ? { protocol } : {}),
    ...(url ? { url } : {}),
    ...(internalUrl ? { internalUrl } : {}),
    externalRoute: isvc?.metadata.labels?.[LABELS.visibility] === 'exposed',
    tokenAuth: isvc?.metadata.annotations?.[ANNOTATIONS.enableAuth] === 'true',
    status,
    ...(storage ? { storage } : {}),
    ...(resources
      ? {
          resources: {
            ...(gpus !== undefined && Number.isInteger(Number(gpus)) ? { gpus: Number(gpus) } : {}),
            cpu: definedOnly({ request: resources.requests?.cpu, limit: resources.limits?.cpu }),
            memory: definedOnly({
              request: resources.requests?.memory,
              limit: resources.limits?.memory,
            }),
          },
        }
      : {}),
    ...(isvc ? {} : { orphanedRuntime: true }),
    ...(created ? { creationTimestamp: created } : {}),
  };
}

/**
 * The project's NIM deployments: each NIM ServingRuntime with the InferenceService that uses it
 * (by `spec.predictor.model.runtime`, else by the same name), sorted by name.
 */
export function buildDeploymentList(options: {
  runtimes: readonly ServingRuntimeRead[];
  inferenceServices: readonly InferenceServiceRead[];
  catalog?: ReadonlyMap<string, ModelEntry>;
  pvcs?: PvcsByName | undefined;
}): Deployment[] {
  const byRuntime = new Map<string, InferenceServiceRead>();
  for (const isvc of options.inferenceServices) {
    const runtime = isvc.spec?.predictor?.model?.runtime ?? isvc.metadata.name;
    if (!byRuntime.has(runtime) || isvc.metadata.name === runtime) byRuntime.set(runtime, isvc);
  }
  return options.runtimes
    .filter(isNimServingRuntime)
    .map((runtime) =>
      buildDeploymentItem({
        runtime,
        inferenceService: byRuntime.get(runtime.metadata.name),
        ...(options.catalog ? { catalog: options.catalog } : {}),
        pvcs: options.pvcs,
      }),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The cache PVC of a deployment and what happens to it on delete: owned by this deployment's
 * InferenceService (maybe with others), it goes with the last owner; owned by none, it stays.
 */
function describeStorage(
  runtime: ServingRuntimeRead,
  isvc: InferenceServiceRead | undefined,
  pvcs: PvcsByName | undefined,
): Deployment['storage'] {
  const claim = cacheClaimOf(runtime);
  if (!claim) return undefined;
  const created = runtime.metadata.annotations?.[ANNOTATIONS.createdPvc] === claim.claimName;
  if (!pvcs) return { ...claim, created };
  const pvc = pvcs.get(claim.claimName);
  if (!pvc || pvc.metadata?.deletionTimestamp) return { ...claim, created, missing: true };
  const owners = (pvc.metadata?.ownerReferences ?? []).filter(isInferenceServiceOwner);
  const uid = isvc?.metadata.uid;
  const others = owners
    .filter((owner) => owner.uid !== uid)
    .map((owner) => owner.name)
    .sort();
  const size = pvc.spec?.resources?.requests?.['storage'];
  return {
    ...claim,
    created,
    ...(size ? { size } : {}),
    owned: uid !== undefined && owners.some((owner) => owner.uid === uid),
    ...(others.length > 0 ? { sharedWith: others } : {}),
  };
}

function nimContainer(runtime: ServingRuntimeRead) {
  const containers = runtime.spec?.containers ?? [];
  return containers.find((c) => c.name === NIM_CONTAINER_NAME) ?? containers[0];
}

function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon >= 0 ? image.slice(colon + 1) : undefined;
}

function definedOnly(value: { request: string | undefined; limit: string | undefined }): {
  request?: string;
  limit?: string;
} {
  return {
    ...(value.request !== undefined ? { request: value.request } : {}),
    ...(value.limit !== undefined ? { limit: value.limit } : {}),
  };
}
