import { ANNOTATIONS, API, type InferenceServiceObject } from '@odh-nim/contract';

import type { WriteOptions } from '../call-options.js';
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
 * Restarts the predictor pods: a new `ANNOTATIONS.restartedAt` value on the predictor's pod
 * annotations changes the pod template, and the Deployment rolls.
 */
export async function updateInferenceServiceRestartedAt(
  api: KubeClients,
  target: { namespace: string; name: string; restartedAt: string },
  options: WriteOptions = {},
): Promise<void> {
  await patchCustomObject(
    api,
    API.inferenceService,
    {
      namespace: target.namespace,
      name: target.name,
      patch: {
        spec: { predictor: { annotations: { [ANNOTATIONS.restartedAt]: target.restartedAt } } },
      },
    },
    options,
  );
}

/** Deletes an InferenceService; a missing one counts as deleted. */
export async function deleteInferenceService(
  api: KubeClients,
  namespace: string,
  name: string,
  options: WriteOptions = {},
): Promise<boolean> {
  return deleteCustomObject(api, API.inferenceService, { namespace, name }, options);
}
