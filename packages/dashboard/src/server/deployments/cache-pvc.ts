import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';

import type { OwnerReference, PersistentVolumeClaimObject } from '@odh-nim/contract';

import { RequestValidationError } from '../errors.js';
import type { KubeClients } from '../k8s/clients.js';
import { isConflict, isNotFound } from '../k8s/errors.js';
import { addOwners, isInferenceServiceOwner } from '../k8s/owner-references.js';
import { createPvc, deletePvcIf, getPvc, updatePvc } from '../k8s/pvcs/k8s.js';
import { raceable, retryLostRaces } from '../k8s/races.js';

/** A write of the cache PVC, with what it takes to undo it. */
export interface PvcWrite {
  name: string;
  /** `created` it, added an `owner`, or `none` (a PVC no deployment owns: the user's). */
  change: 'created' | 'owner' | 'none';
  original?: V1PersistentVolumeClaim;
  /** resourceVersion after our write: an undo happens only if nobody wrote since. */
  resourceVersion?: string;
}

/**
 * True for a PVC that NIM deployments own (the dashboard made it): it goes with the last of them.
 * A PVC no InferenceService owns is someone's own, and is never owned or deleted by the dashboard.
 */
export function isOwnedByDeployments(pvc: V1PersistentVolumeClaim): boolean {
  return (pvc.metadata?.ownerReferences ?? []).some(isInferenceServiceOwner);
}

/** Creates a deployment's new cache PVC, owned by its InferenceService. */
export async function createOwnedCachePvc(
  api: KubeClients,
  pvc: PersistentVolumeClaimObject,
  owner: OwnerReference,
): Promise<{ pvc: V1PersistentVolumeClaim; write: PvcWrite }> {
  const created = await createPvc(api, {
    ...pvc,
    metadata: { ...pvc.metadata, ownerReferences: [owner] },
  });
  const write: PvcWrite = { name: pvc.metadata.name, change: 'created', ...versionOf(created) };
  return { pvc: created, write };
}

/**
 * For a deployment that reuses a PVC: when NIM deployments own it, `owner` becomes one more, so
 * the PVC stays until the last of them goes. A PVC nobody owns is left exactly as it is.
 */
export async function shareCachePvc(
  api: KubeClients,
  target: { namespace: string; claimName: string; owner: OwnerReference },
): Promise<{ pvc: V1PersistentVolumeClaim; write: PvcWrite }> {
  const { namespace, claimName: name } = target;
  return retryLostRaces(`PVC ${name}`, async () => {
    const pvc = await getPvc(api, namespace, name);
    if (!pvc || pvc.metadata?.deletionTimestamp) {
      throw new RequestValidationError([
        {
          field: 'storage.claimName',
          message: `PVC "${name}" ${pvc ? 'is being deleted' : 'no longer exists'} in project ${namespace}`,
        },
      ]);
    }
    if (!isOwnedByDeployments(pvc)) return { pvc, write: { name, change: 'none' } };
    const owned = addOwners(pvc.metadata?.ownerReferences, [target.owner]);
    if (!owned.changed) return { pvc, write: { name, change: 'none' } };
    const updated = await raceable(
      updatePvc(api, {
        ...pvc,
        metadata: { ...pvc.metadata, managedFields: undefined, ownerReferences: owned.owners },
      }),
    );
    return { pvc: updated, write: { name, change: 'owner', original: pvc, ...versionOf(updated) } };
  });
}

/**
 * Undoes a {@link PvcWrite} if nobody wrote the PVC since: deletes the PVC it created, or puts
 * back the owners it had. Otherwise the owner it added goes with the InferenceService the
 * rollback deletes.
 */
export async function undoPvcWrite(
  api: KubeClients,
  namespace: string,
  write: PvcWrite,
): Promise<'removed' | 'none'> {
  try {
    if (write.change === 'created') {
      const existed = await deletePvcIf(api, {
        namespace,
        name: write.name,
        preconditions: { resourceVersion: write.resourceVersion },
      });
      return existed ? 'removed' : 'none';
    }
    if (write.change === 'owner' && write.original) {
      await updatePvc(api, {
        ...write.original,
        metadata: {
          ...write.original.metadata,
          managedFields: undefined,
          resourceVersion: write.resourceVersion,
        },
      });
    }
    return 'none';
  } catch (error) {
    if (isConflict(error) || isNotFound(error)) return 'none';
    throw error;
  }
}

function versionOf(pvc: V1PersistentVolumeClaim): { resourceVersion?: string } {
  const version = pvc.metadata?.resourceVersion;
  return version ? { resourceVersion: version } : {};
}
