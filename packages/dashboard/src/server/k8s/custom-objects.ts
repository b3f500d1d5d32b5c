import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';

import { deleteParams, writeParams, type WriteOptions } from './call-options.js';
import type { KubeClients } from './clients.js';
import { deleteIfExists, readOrUndefined } from './errors.js';
import { deleteBody, type DeletePreconditions } from './preconditions.js';

/** Group, version and plural of a custom resource (see contract's `API`). */
export interface CustomResource {
  group: string;
  version: string;
  plural: string;
}

/** Reads a namespaced custom object; `undefined` when it does not exist. */
export async function getCustomObject(
  api: KubeClients,
  resource: CustomResource,
  target: { namespace: string; name: string },
): Promise<unknown> {
  return readOrUndefined<unknown>(api.custom.getNamespacedCustomObject({ ...resource, ...target }));
}

/** Lists a namespace's custom objects of one kind (the raw list answer). */
export async function listCustomObjects(
  api: KubeClients,
  resource: CustomResource,
  namespace: string,
  selectors: { fieldSelector?: string; labelSelector?: string } = {},
): Promise<unknown> {
  const list: unknown = await api.custom.listNamespacedCustomObject({
    ...resource,
    namespace,
    ...selectors,
  });
  return list;
}

/** Creates a namespaced custom object. */
export async function createCustomObject(
  api: KubeClients,
  resource: CustomResource,
  body: { metadata: { namespace?: string } },
  options: WriteOptions = {},
): Promise<unknown> {
  const created: unknown = await api.custom.createNamespacedCustomObject({
    ...resource,
    namespace: body.metadata.namespace ?? '',
    body,
    ...writeParams(options),
  });
  return created;
}

/** Applies a JSON merge patch to a namespaced custom object. */
export async function patchCustomObject(
  api: KubeClients,
  resource: CustomResource,
  target: { namespace: string; name: string; patch: object },
  options: WriteOptions = {},
): Promise<unknown> {
  const patched: unknown = await api.custom.patchNamespacedCustomObject(
    {
      ...resource,
      namespace: target.namespace,
      name: target.name,
      body: target.patch,
      ...writeParams(options),
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  return patched;
}

/**
 * Deletes a namespaced custom object (only while it matches `preconditions`, when given); a
 * missing one counts as deleted. Returns whether it existed.
 */
export async function deleteCustomObject(
  api: KubeClients,
  resource: CustomResource,
  target: { namespace: string; name: string; preconditions?: DeletePreconditions | undefined },
  options: WriteOptions = {},
): Promise<boolean> {
  const { namespace, name, preconditions } = target;
  return deleteIfExists(
    api.custom.deleteNamespacedCustomObject({
      ...resource,
      namespace,
      name,
      ...deleteParams(options),
      ...deleteBody(preconditions),
    }),
  );
}
