import type { V1Secret } from '@kubernetes/client-node';

import type { SecretObject } from '@odh-nim/contract';

import type { KubeClients } from '../k8s/clients.js';
import { isConflict, isNotFound } from '../k8s/errors.js';
import { createSecret, deleteSecretIf, updateSecret } from '../k8s/secrets/k8s.js';

/** A Secret write that happened, with what it takes to undo it. */
export interface SecretWrite {
  name: string;
  /** `created` it, `updated` its data, only added `owners`, or `none`. */
  change: 'created' | 'updated' | 'owners' | 'none';
  /** The Secret as it was before (kept in memory only, to put back on rollback). */
  original?: V1Secret;
  /** resourceVersion after our write: an undo happens only if nobody wrote since. */
  resourceVersion?: string;
}

/** True when `existing` already holds every data key of `desired` with the same values. */
export function isSecretCurrent(desired: SecretObject, existing: V1Secret): boolean {
  if (existing.type !== desired.type) return false;
  return Object.entries(desired.data).every(([key, value]) => existing.data?.[key] === value);
}

/**
 * The body that updates `existing` to carry `desired`'s data, labels and type. It keeps
 * `existing`'s resourceVersion, so the update fails if anyone wrote since the read.
 */
export function buildSecretUpdate(desired: SecretObject, existing: V1Secret): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      ...existing.metadata,
      name: desired.metadata.name,
      namespace: desired.metadata.namespace,
      labels: { ...existing.metadata?.labels, ...desired.metadata.labels },
      managedFields: undefined,
    },
    type: desired.type,
    data: { ...existing.data, ...desired.data },
  };
}

/**
 * Server-side dry run of the write a deploy would make: admission and RBAC answer. A Secret that
 * another request created, changed or deleted since the read is not a failure here: the real
 * write reads it again.
 */
export async function dryRunSecretWrite(
  api: KubeClients,
  desired: SecretObject,
  existing: V1Secret | undefined,
): Promise<void> {
  try {
    if (existing) await updateSecret(api, buildSecretUpdate(desired, existing), { dryRun: true });
    else await createSecret(api, desired, { dryRun: true });
  } catch (error) {
    if (!isConflict(error) && !isNotFound(error)) throw error;
  }
}

/**
 * Undoes a {@link SecretWrite} if nobody wrote the Secret since: deletes what it created, puts
 * back what it changed. If someone did (another deploy now uses it too), it is left to them: the
 * owner this write added goes with the ServingRuntime the rollback deletes.
 */
export async function undoSecretWrite(
  api: KubeClients,
  namespace: string,
  write: SecretWrite,
): Promise<'removed' | 'restored' | 'none'> {
  try {
    if (write.change === 'created') {
      const existed = await deleteSecretIf(api, {
        namespace,
        name: write.name,
        preconditions: { resourceVersion: write.resourceVersion },
      });
      return existed ? 'removed' : 'none';
    }
    if ((write.change === 'updated' || write.change === 'owners') && write.original) {
      const { original } = write;
      await updateSecret(api, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          ...original.metadata,
          managedFields: undefined,
          resourceVersion: write.resourceVersion,
        },
        ...(original.type ? { type: original.type } : {}),
        ...(original.data ? { data: original.data } : {}),
      });
      return write.change === 'updated' ? 'restored' : 'none';
    }
    return 'none';
  } catch (error) {
    if (isConflict(error) || isNotFound(error)) return 'none';
    throw error;
  }
}
