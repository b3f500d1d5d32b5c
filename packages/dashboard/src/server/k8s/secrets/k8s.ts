import type { V1Secret } from '@kubernetes/client-node';

import type { SecretObject } from '@odh-nim/contract';

import { deleteParams, writeParams, type WriteOptions } from '../call-options.js';
import type { KubeClients } from '../clients.js';
import { deleteIfExists, readOrUndefined } from '../errors.js';
import { deleteBody, type DeletePreconditions } from '../preconditions.js';

/** Reads a Secret; `undefined` when it does not exist. */
export async function getSecret(
  api: KubeClients,
  namespace: string,
  name: string,
): Promise<V1Secret | undefined> {
  return readOrUndefined(api.core.readNamespacedSecret({ namespace, name }));
}

/** Creates a Secret. */
export async function createSecret(
  api: KubeClients,
  secret: SecretObject | V1Secret,
  options: WriteOptions = {},
): Promise<V1Secret> {
  return api.core.createNamespacedSecret({
    namespace: namespaceOf(secret),
    body: secret,
    ...writeParams(options),
  });
}

/** Replaces a Secret (PUT); with `metadata.resourceVersion` set, only if nobody changed it. */
export async function updateSecret(
  api: KubeClients,
  secret: SecretObject | V1Secret,
  options: WriteOptions = {},
): Promise<V1Secret> {
  return api.core.replaceNamespacedSecret({
    namespace: namespaceOf(secret),
    name: secret.metadata?.name ?? '',
    body: secret,
    ...writeParams(options),
  });
}

/** Deletes a Secret; a missing one counts as deleted. Returns whether it existed. */
export async function deleteSecret(
  api: KubeClients,
  namespace: string,
  name: string,
  options: WriteOptions = {},
): Promise<boolean> {
  return deleteIfExists(
    api.core.deleteNamespacedSecret({ namespace, name, ...deleteParams(options) }),
  );
}

/**
 * Deletes a Secret only while it matches `preconditions` (409 otherwise); a missing one counts as
 * deleted. Returns whether it existed.
 */
export async function deleteSecretIf(
  api: KubeClients,
  target: { namespace: string; name: string; preconditions: DeletePreconditions },
): Promise<boolean> {
  const { namespace, name, preconditions } = target;
  return deleteIfExists(
    api.core.deleteNamespacedSecret({ namespace, name, ...deleteBody(preconditions) }),
  );
}

function namespaceOf(secret: SecretObject | V1Secret): string {
  return secret.metadata?.namespace ?? '';
}
