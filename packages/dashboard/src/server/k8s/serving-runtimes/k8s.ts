import { API, type ServingRuntimeObject } from '@odh-nim/contract';

import type { WriteOptions } from '../call-options.js';
import type { DeletePreconditions } from '../preconditions.js';
import type { KubeClients } from '../clients.js';
import {
  createCustomObject,
  deleteCustomObject,
  getCustomObject,
  listCustomObjects,
} from '../custom-objects.js';
import { parseItems } from '../object-meta.js';
import { servingRuntimeReadSchema, type ServingRuntimeRead } from './types.js';

/** Reads a ServingRuntime; `undefined` when it does not exist (or is not one we can read). */
export async function getServingRuntime(
  api: KubeClients,
  namespace: string,
  name: string,
): Promise<ServingRuntimeRead | undefined> {
  const object = await getCustomObject(api, API.servingRuntime, { namespace, name });
  if (object === undefined) return undefined;
  const parsed = servingRuntimeReadSchema.safeParse(object);
  return parsed.success ? parsed.data : undefined;
}

/** Lists a project's ServingRuntimes. */
export async function listServingRuntimes(
  api: KubeClients,
  namespace: string,
): Promise<ServingRuntimeRead[]> {
  const list = await listCustomObjects(api, API.servingRuntime, namespace);
  return parseItems(list, servingRuntimeReadSchema);
}

/** Creates a ServingRuntime. */
export async function createServingRuntime(
  api: KubeClients,
  runtime: ServingRuntimeObject,
  options: WriteOptions = {},
): Promise<ServingRuntimeRead> {
  const created = await createCustomObject(api, API.servingRuntime, runtime, options);
  return servingRuntimeReadSchema.parse(created);
}

/**
 * Deletes a ServingRuntime (only the one with `preconditions.uid`, when given: never one made
 * again under the same name); a missing one counts as deleted.
 */
export async function deleteServingRuntime(
  api: KubeClients,
  target: { namespace: string; name: string; preconditions?: DeletePreconditions | undefined },
  options: WriteOptions = {},
): Promise<boolean> {
  return deleteCustomObject(api, API.servingRuntime, target, options);
}
