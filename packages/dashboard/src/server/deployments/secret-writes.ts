import type { V1Secret } from '@kubernetes/client-node';

import type { SecretObject } from '@odh-nim/contract';

import type { ObjectAction } from '../../api/types.js';
import type { WriteOptions } from '../k8s/call-options.js';
import type { KubeClients } from '../k8s/clients.js';
import { createSecret, deleteSecret, updateSecret } from '../k8s/secrets/k8s.js';

/** A Secret write that happened, with what it takes to undo it. */
export interface SecretWrite {
  name: string;
  action: Extract<ObjectAction['action'], 'created' | 'updated' | 'unchanged'>;
  /** The Secret as it was before an update (kept in memory only, to restore on rollback). */
  original?: V1Secret;
  /** resourceVersion after our write, for a conditional restore. */
  resourceVersion?: string;
}

/** True when `existing` already holds every data key of `desired` with the same values. */
export function isSecretCurrent(desired: SecretObject, existing: V1Secret): boolean {
  if (existing.type !== desired.type) return false;
  return Object.entries(desired.data).every(([key, value]) => existing.data?.[key] === value);
}

/** The body that updates `existing` to carry `desired`'s data, labels and type. */
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

/** Creates `desired`, or updates `existing` to it (keeping the original), or leaves it be. */
export async function writeSecret(
  api: KubeClients,
  desired: SecretObject,
  existing: V1Secret | undefined,
  options: WriteOptions = {},
): Promise<SecretWrite> {
  const name = desired.metadata.name;
  if (!existing) {
    const created = await createSecret(api, desired, options);
    return { name, action: 'created', ...versionOf(created) };
  }
  if (isSecretCurrent(desired, existing)) return { name, action: 'unchanged' };
  const updated = await updateSecret(api, buildSecretUpdate(desired, existing), options);
  return { name, action: 'updated', original: existing, ...versionOf(updated) };
}

/** Undoes a {@link SecretWrite}: deletes what it created, puts back what it updated. */
export async function undoSecretWrite(
  api: KubeClients,
  namespace: string,
  write: SecretWrite,
): Promise<'removed' | 'restored' | 'none'> {
  if (write.action === 'created') {
    await deleteSecret(api, namespace, write.name);
    return 'removed';
  }
  if (write.action === 'updated' && write.original) {
    const { original } = write;
    await updateSecret(api, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        ...original.metadata,
        managedFields: undefined,
        ...(write.resourceVersion ? { resourceVersion: write.resourceVersion } : {}),
      },
      ...(original.type ? { type: original.type } : {}),
      ...(original.data ? { data: original.data } : {}),
    });
    return 'restored';
  }
  return 'none';
}

function versionOf(secret: V1Secret): { resourceVersion?: string } {
  const version = secret.metadata?.resourceVersion;
  return version ? { resourceVersion: version } : {};
}
