import { ANNOTATIONS, API, type InferenceServiceObject } from '@odh-nim/contract';

import type { WriteOptions } from '../call-options.js';
import type { DeletePreconditions } from '../preconditions.js';
import type { KubeClients } from '../clients.js';
import {
  createCustomObject,
  deleteCustomObject,
  getCustomObject,
  listCustomObjects,
  patchCustomObject,
} from '../custom-objects.js';
import { parseItems } from '../object-meta.js';
import { inferenceServiceReadSchema, type InferenceServiceRead } from './types.js';

/** Reads an InferenceService; `undefined` when it does not exist. */
export async function getInferenceService(
  api: KubeClients,
  namespace: string,
  name: string,
): Promise<InferenceServiceRead | undefined> {
  const object = await getCustomObject(api, API.inferenceService, { namespace, name });
  if (object === undefined) return undefined;
  const parsed = inferenceServiceReadSchema.safeParse(object);
  return parsed.success ? parsed.data : undefined;
}

/** Lists a project's InferenceServices. */
export async function listInferenceServices(
  api: KubeClients,
  namespace: string,
): Promise<InferenceServiceRead[]> {
  const list = await listCustomObjects(api, API.inferenceService, namespace);
  return parseItems(list, inferenceServiceReadSchema);
}

/** Creates an InferenceService. */
export async function createInferenceService(
  api: KubeClients,
  inferenceService: InferenceServiceObject,
  options: WriteOptions = {},
): Promise<InferenceServiceRead> {
  const created = await createCustomObject(api, API.inferenceService, inferenceService, options);
  return inferenceServiceReadSchema.parse(created);
}

/**
 * Sets the key version the predictor pods run with (`ANNOTATIONS.keyVersion` on the predictor's
 * pod annotations): a new value changes the pod template, and the pods roll. Only while the
 * InferenceService is at `resourceVersion` (409 otherwise).
 */
export async function updateInferenceServiceKeyVersion(
  api: KubeClients,
  target: { namespace: string; name: string; resourceVersion: string; keyVersion: string },
  options: WriteOptions = {},
): Promise<InferenceServiceRead> {
  const patched = await patchCustomObject(
    api,
    API.inferenceService,
    {
      namespace: target.namespace,
      name: target.name,
      patch: {
        // NB: a resourceVersion in a merge patch makes it conditional, like an update's.
        metadata: { resourceVersion: target.resourceVersion },
        spec: { predictor: { annotations: { [ANNOTATIONS.keyVersion]: target.keyVersion } } },
      },
    },
    options,
  );
  return inferenceServiceReadSchema.parse(patched);
}

/**
 * Deletes an InferenceService (only the one with `preconditions.uid`, when given); a missing one
 * counts as deleted.
 */
export async function deleteInferenceService(
  api: KubeClients,
  target: { namespace: string; name: string; preconditions?: DeletePreconditions | undefined },
  options: WriteOptions = {},
): Promise<boolean> {
  return deleteCustomObject(api, API.inferenceService, target, options);
}
