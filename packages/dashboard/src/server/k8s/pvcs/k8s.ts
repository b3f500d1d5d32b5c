import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';

import type { PersistentVolumeClaimObject } from '@odh-nim/contract';

import { deleteParams, writeParams, type WriteOptions } from '../call-options.js';
import type { KubeClients } from '../clients.js';
import { deleteIfExists, isNotFound, readOrUndefined } from '../errors.js';
import { deleteBody, type DeletePreconditions } from '../preconditions.js';

/** Reads a PVC; `undefined` when it does not exist. */
export async function getPvc(
  api: KubeClients,
  namespace: string,
  name: string,
): Promise<V1PersistentVolumeClaim | undefined> {
  return readOrUndefined(api.core.readNamespacedPersistentVolumeClaim({ namespace, name }));
}

/** A project's PVCs. */
export async function listPvcs(
  api: KubeClients,
  namespace: string,
): Promise<V1PersistentVolumeClaim[]> {
  return (await api.core.listNamespacedPersistentVolumeClaim({ namespace })).items;
}

/** Creates a PVC. */
export async function createPvc(
  api: KubeClients,
  pvc: PersistentVolumeClaimObject | V1PersistentVolumeClaim,
  options: WriteOptions = {},
): Promise<V1PersistentVolumeClaim> {
  return api.core.createNamespacedPersistentVolumeClaim({
    namespace: pvc.metadata?.namespace ?? '',
    body: pvc,
    ...writeParams(options),
  });
}

/** Replaces a PVC (PUT); with `metadata.resourceVersion` set, only if nobody changed it. */
export async function updatePvc(
  api: KubeClients,
  pvc: V1PersistentVolumeClaim,
  options: WriteOptions = {},
): Promise<V1PersistentVolumeClaim> {
  return api.core.replaceNamespacedPersistentVolumeClaim({
    namespace: pvc.metadata?.namespace ?? '',
    name: pvc.metadata?.name ?? '',
    body: pvc,
    ...writeParams(options),
  });
}

/** Deletes a PVC; a missing one counts as deleted. Returns whether it existed. */
export async function deletePvc(
  api: KubeClients,
  namespace: string,
  name: string,
  options: WriteOptions = {},
): Promise<boolean> {
  return deleteIfExists(
    api.core.deleteNamespacedPersistentVolumeClaim({ namespace, name, ...deleteParams(options) }),
  );
}

/** Deletes a PVC only while it matches `preconditions` (409 otherwise); a missing one counts as deleted. */
export async function deletePvcIf(
  api: KubeClients,
  target: { namespace: string; name: string; preconditions: DeletePreconditions },
): Promise<boolean> {
  const { namespace, name, preconditions } = target;
  return deleteIfExists(
    api.core.deleteNamespacedPersistentVolumeClaim({
      namespace,
      name,
      ...deleteBody(preconditions),
    }),
  );
}

/** Whether a StorageClass exists: `undefined` when the caller may not read StorageClasses. */
export async function storageClassExists(
  api: KubeClients,
  name: string,
): Promise<boolean | undefined> {
  try {
    await api.storage.readStorageClass({ name });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    // NB: most project users may not read cluster-scoped StorageClasses; admission decides then.
    return undefined;
  }
}
