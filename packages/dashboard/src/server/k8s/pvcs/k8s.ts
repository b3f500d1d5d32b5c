import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';

import type { PersistentVolumeClaimObject } from '@odh-nim/contract';

import { deleteParams, writeParams, type WriteOptions } from '../call-options.js';
import type { KubeClients } from '../clients.js';
import { deleteIfExists, isNotFound, readOrUndefined } from '../errors.js';

/** Reads a PVC; `undefined` when it does not exist. */
export async function getPvc(
  api: KubeClients,
  namespace: string,
  name: string,
): Promise<V1PersistentVolumeClaim | undefined> {
  return readOrUndefined(api.core.readNamespacedPersistentVolumeClaim({ namespace, name }));
}

/** Creates a PVC. */
export async function createPvc(
  api: KubeClients,
  pvc: PersistentVolumeClaimObject,
  options: WriteOptions = {},
): Promise<V1PersistentVolumeClaim> {
  return api.core.createNamespacedPersistentVolumeClaim({
    namespace: pvc.metadata.namespace ?? '',
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
