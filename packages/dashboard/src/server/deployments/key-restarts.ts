import { ANNOTATIONS, NIM_SECRET_NAME } from '@odh-nim/contract';

import type { KubeClients } from '../k8s/clients.js';
import { kubernetesMessageOf } from '../k8s/errors.js';
import {
  getInferenceService,
  listInferenceServices,
  updateInferenceServiceKeyVersion,
} from '../k8s/inference-services/k8s.js';
import type { InferenceServiceRead } from '../k8s/inference-services/types.js';
import { raceable, retryLostRaces } from '../k8s/races.js';
import { getSecret } from '../k8s/secrets/k8s.js';
import { listServingRuntimes } from '../k8s/serving-runtimes/k8s.js';
import { keyVersionOf, storedKeyOf } from './key-version.js';
import { isNimServingRuntime } from './nim-runtime.js';

/** Which NIM deployments a key change restarted, and which it could not. */
export interface KeyRestarts {
  restarted: string[];
  failed: { name: string; message: string }[];
}

/**
 * Points every NIM deployment of the project at the key `nvidia-nim-secrets` holds now: each one
 * whose pods record another key version gets the current one, and its pods roll.
 *
 * Safe with concurrent key writers, on any replica, because each writer lists the deployments
 * after its write, and reads the key after the deployment it patches: a deployment made after a
 * write starts with the new key, one made before is in that writer's list. `keyChanged` (this
 * request changed the key) also restarts deployments that record no version yet.
 */
export async function syncKeyVersions(
  api: KubeClients,
  namespace: string,
  options: { keyChanged: boolean },
): Promise<KeyRestarts> {
  const [runtimes, services] = await Promise.all([
    listServingRuntimes(api, namespace),
    listInferenceServices(api, namespace),
  ]);
  const nimRuntimes = new Set(runtimes.filter(isNimServingRuntime).map((r) => r.metadata.name));
  const nim = services.filter(
    (isvc) => !isvc.metadata.deletionTimestamp && nimRuntimes.has(runtimeNameOf(isvc)),
  );
  const result: KeyRestarts = { restarted: [], failed: [] };
  await Promise.all(
    nim.map(async (isvc) => {
      try {
        if (await syncKeyVersion(api, isvc, options)) result.restarted.push(isvc.metadata.name);
      } catch (error) {
        result.failed.push({ name: isvc.metadata.name, message: kubernetesMessageOf(error) });
      }
    }),
  );
  result.restarted.sort();
  result.failed.sort((a, b) => (a.name < b.name ? -1 : 1));
  return result;
}

/**
 * Gives one deployment, read just before, the current key version. Returns whether it changed
 * (its pods roll). On a lost race it reads the deployment, then the key, again.
 */
export async function syncKeyVersion(
  api: KubeClients,
  read: InferenceServiceRead,
  options: { keyChanged: boolean },
): Promise<boolean> {
  const { name } = read.metadata;
  const namespace = read.metadata.namespace ?? '';
  return retryLostRaces(`InferenceService ${name}`, async (attempt) => {
    const isvc = attempt === 1 ? read : await getInferenceService(api, namespace, name);
    if (!isvc || isvc.metadata.deletionTimestamp) return false;
    const apiKey = storedKeyOf(await getSecret(api, namespace, NIM_SECRET_NAME));
    if (apiKey === undefined) return false;
    const version = keyVersionOf(namespace, apiKey);
    const recorded = isvc.spec?.predictor?.annotations?.[ANNOTATIONS.keyVersion];
    if (recorded === version) return false;
    // Made before key versions: its pods run the key of their start, unknown; leave them be
    // unless this request changed the key.
    if (recorded === undefined && !options.keyChanged) return false;
    await raceable(
      updateInferenceServiceKeyVersion(api, {
        namespace,
        name,
        resourceVersion: isvc.metadata.resourceVersion ?? '',
        keyVersion: version,
      }),
    );
    return true;
  });
}

function runtimeNameOf(isvc: InferenceServiceRead): string {
  return isvc.spec?.predictor?.model?.runtime ?? isvc.metadata.name;
}
