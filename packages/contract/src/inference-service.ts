import type { InferenceServiceObject, ResourceRequirements } from './k8s-types.js';
import { ANNOTATIONS, LABELS } from './names.js';

export interface InferenceServiceParams {
  name: string;
  namespace: string;
  displayName: string;
  /** The model name, also the ServingRuntime's supported model format. */
  modelName: string;
  runtimeName: string;
  minReplicas: number;
  maxReplicas: number;
  resources: ResourceRequirements;
  /** Expose the model outside the cluster through a route. */
  externalRoute: boolean;
  /** Require a bearer token to call the model. */
  tokenAuth: boolean;
}

/** The InferenceService of SPEC §2.4, in KServe's raw deployment mode. */
export function buildInferenceService(params: InferenceServiceParams): InferenceServiceObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: params.name,
      namespace: params.namespace,
      labels: {
        [LABELS.dashboard]: 'true',
        ...(params.externalRoute ? { [LABELS.visibility]: 'exposed' } : {}),
      },
      annotations: {
        [ANNOTATIONS.displayName]: params.displayName,
        [ANNOTATIONS.deploymentMode]: 'RawDeployment',
        ...(params.tokenAuth ? { [ANNOTATIONS.enableAuth]: 'true' } : {}),
      },
    },
    spec: {
      predictor: {
        minReplicas: params.minReplicas,
        maxReplicas: params.maxReplicas,
        model: {
          modelFormat: { name: params.modelName },
          runtime: params.runtimeName,
          resources: structuredClone(params.resources),
        },
      },
    },
  };
}
