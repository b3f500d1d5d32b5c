import { collectReferences, type OwnerReference } from '@odh-nim/contract';

import type { KubeClients } from '../k8s/clients.js';
import { listInferenceServices } from '../k8s/inference-services/k8s.js';
import type { InferenceServiceRead } from '../k8s/inference-services/types.js';
import { inferenceServiceOwner, servingRuntimeOwner } from '../k8s/owner-references.js';
import { listServingRuntimes } from '../k8s/serving-runtimes/k8s.js';
import type { ServingRuntimeRead } from '../k8s/serving-runtimes/types.js';

/** A project's ServingRuntimes and InferenceServices: what may use its Secrets and PVCs. */
export interface Workloads {
  runtimes: ServingRuntimeRead[];
  services: InferenceServiceRead[];
}

export async function listWorkloads(api: KubeClients, namespace: string): Promise<Workloads> {
  const [runtimes, services] = await Promise.all([
    listServingRuntimes(api, namespace),
    listInferenceServices(api, namespace),
  ]);
  return { runtimes, services };
}

/**
 * For each Secret name, the ServingRuntimes and InferenceServices that refer to it (env, envFrom,
 * imagePullSecrets, volumes: contract's `collectReferences`), as owner references. NIM or not,
 * old design or new: a Secret may only be owned when all of them are its owners, or the garbage
 * collector could take it from one of them.
 */
export function secretReferrersOf(workloads: Workloads): Map<string, OwnerReference[]> {
  const referrers = new Map<string, OwnerReference[]>();
  const add = (object: ServingRuntimeRead | InferenceServiceRead, owner: OwnerReference): void => {
    for (const secret of collectReferences(object).secrets) {
      referrers.set(secret, [...(referrers.get(secret) ?? []), owner]);
    }
  };
  for (const runtime of live(workloads.runtimes)) add(runtime, servingRuntimeOwner(runtime));
  for (const isvc of live(workloads.services)) add(isvc, inferenceServiceOwner(isvc));
  return referrers;
}

/**
 * The InferenceServices whose pods mount the PVC `claimName`, through their ServingRuntime or
 * directly, as owner references.
 */
export function cacheUsersOf(workloads: Workloads, claimName: string): OwnerReference[] {
  const mounting = new Set(
    workloads.runtimes
      .filter((runtime) => collectReferences(runtime).persistentVolumeClaims.has(claimName))
      .map((runtime) => runtime.metadata.name),
  );
  return live(workloads.services)
    .filter(
      (isvc) =>
        mounting.has(isvc.spec?.predictor?.model?.runtime ?? isvc.metadata.name) ||
        collectReferences(isvc).persistentVolumeClaims.has(claimName),
    )
    .map((isvc) => inferenceServiceOwner(isvc));
}

/** The Secret referrers of the project, read now. */
export async function listSecretReferrers(
  api: KubeClients,
  namespace: string,
): Promise<Map<string, OwnerReference[]>> {
  return secretReferrersOf(await listWorkloads(api, namespace));
}

/** Objects that can own: one being deleted is no longer a user to protect, and may be gone. */
function live<
  T extends { metadata: { uid?: string | undefined; deletionTimestamp?: string | undefined } },
>(objects: readonly T[]): T[] {
  return objects.filter((object) => object.metadata.uid && !object.metadata.deletionTimestamp);
}
