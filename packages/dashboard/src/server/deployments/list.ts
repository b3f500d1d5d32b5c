import type { DeploymentsResponse } from '../../api/types.js';
import type { ClusterCache } from '../cluster-cache.js';
import type { KubeClients } from '../k8s/clients.js';
import { fromKubernetesError } from '../k8s/errors.js';
import { listInferenceServices } from '../k8s/inference-services/k8s.js';
import { listPvcs } from '../k8s/pvcs/k8s.js';
import { listServingRuntimes } from '../k8s/serving-runtimes/k8s.js';
import { buildDeploymentList } from './nim-runtime.js';

/** The project's NIM deployments with their status, read as the caller. */
export async function listNimDeployments(
  deps: { api: KubeClients; cache: ClusterCache },
  namespace: string,
): Promise<DeploymentsResponse> {
  try {
    const [runtimes, inferenceServices, pvcs] = await Promise.all([
      listServingRuntimes(deps.api, namespace),
      listInferenceServices(deps.api, namespace),
      // Only to show each cache PVC and its fate; a caller who may not list PVCs still sees the rest.
      listPvcs(deps.api, namespace).then(
        (items) => new Map(items.map((pvc) => [pvc.metadata?.name ?? '', pvc])),
        () => undefined,
      ),
    ]);
    return {
      deployments: buildDeploymentList({
        runtimes,
        inferenceServices,
        catalog: deps.cache.catalog.byName,
        pvcs,
      }),
    };
  } catch (error) {
    throw fromKubernetesError(error, `listing the NIM deployments of project ${namespace}`);
  }
}
