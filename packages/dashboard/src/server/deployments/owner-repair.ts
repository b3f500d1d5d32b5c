import type { V1OwnerReference } from '@kubernetes/client-node';

import { NIM_PULL_SECRET_NAME, NIM_SECRET_NAME, type OwnerReference } from '@odh-nim/contract';

import type { KubeClients } from '../k8s/clients.js';
import { addOwners } from '../k8s/owner-references.js';
import { getPvc, updatePvc } from '../k8s/pvcs/k8s.js';
import { raceable, retryLostRaces } from '../k8s/races.js';
import { getSecret, updateSecret } from '../k8s/secrets/k8s.js';
import { cacheUsersOf, listWorkloads, secretReferrersOf } from './secret-referrers.js';

/**
 * Before a delete: each of the project's NIM secrets, and the deployment's cache PVC, that the
 * garbage collector manages (it has owners) gains as owners every object that uses it now, so
 * deleting the deployment can only take what nothing else uses. That covers users the owners do
 * not know of: a ServingRuntime made by hand after the last deploy, say. An object with no
 * owners is left as it is: the collector never deletes it.
 */
export async function ownByCurrentUsers(
  api: KubeClients,
  namespace: string,
  claimName: string | undefined,
): Promise<void> {
  const workloads = await listWorkloads(api, namespace);
  const referrers = secretReferrersOf(workloads);
  const cacheUsers = claimName ? cacheUsersOf(workloads, claimName) : [];
  await Promise.all([
    ...[NIM_SECRET_NAME, NIM_PULL_SECRET_NAME].map((name) =>
      retryLostRaces(`Secret ${name}`, async () => {
        const secret = await getSecret(api, namespace, name);
        const owned = ownersToWrite(secret?.metadata?.ownerReferences, referrers.get(name));
        if (!secret || !owned) return;
        await raceable(
          updateSecret(api, {
            ...secret,
            metadata: { ...secret.metadata, managedFields: undefined, ownerReferences: owned },
          }),
        );
      }),
    ),
    ...(claimName
      ? [
          retryLostRaces(`PVC ${claimName}`, async () => {
            const pvc = await getPvc(api, namespace, claimName);
            const owned = ownersToWrite(pvc?.metadata?.ownerReferences, cacheUsers);
            if (!pvc || !owned) return;
            await raceable(
              updatePvc(api, {
                ...pvc,
                metadata: { ...pvc.metadata, managedFields: undefined, ownerReferences: owned },
              }),
            );
          }),
        ]
      : []),
  ]);
}

/** The owners to write, or `undefined` when the object is unowned or already lists every user. */
function ownersToWrite(
  current: V1OwnerReference[] | undefined,
  users: readonly OwnerReference[] | undefined,
): V1OwnerReference[] | undefined {
  if (!current || current.length === 0) return undefined;
  const owned = addOwners(current, users ?? []);
  return owned.changed ? owned.owners : undefined;
}
