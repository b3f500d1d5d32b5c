// Fresh factories for unit tests; each returns a new object, override what the test is about.
import type { DeployRequest } from '../../api/types.js';
import type { InferenceServiceRead } from '../k8s/inference-services/types.js';
import type { ServingRuntimeRead } from '../k8s/serving-runtimes/types.js';

/** A valid deploy request for the contract's mock model. */
export function mockDeployRequest(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return {
    displayName: 'Llama 3.1 8B',
    name: 'llama-8b',
    modelName: 'llama-3.1-8b-instruct',
    tag: '1.8.4',
    replicas: { min: 1, max: 2 },
    resources: {
      gpus: 1,
      cpu: { request: '2', limit: '4' },
      memory: { request: '16Gi', limit: '32Gi' },
    },
    storage: { mode: 'new', size: '50Gi' },
    protocol: 'http',
    externalRoute: false,
    tokenAuth: false,
    apiKey: 'nvapi-test-unit',
    ...overrides,
  };
}

/** A NIM ServingRuntime as read back from the cluster. */
export function mockServingRuntime(
  overrides: { name?: string; annotations?: Record<string, string>; claimName?: string } = {},
): ServingRuntimeRead {
  const name = overrides.name ?? 'llama-8b';
  return {
    metadata: {
      name,
      namespace: 'project',
      annotations: {
        'opendatahub.io/template-name': 'nvidia-nim-runtime-http',
        'runtimes.opendatahub.io/nvidia-nim': 'true',
        'openshift.io/display-name': 'Llama',
        ...overrides.annotations,
      },
      creationTimestamp: '2025-01-01T00:00:00Z',
    },
    spec: {
      supportedModelFormats: [{ name: 'llama-3.1-8b-instruct', version: '1.8.4' }],
      containers: [
        {
          name: 'kserve-container',
          image: 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4',
          ports: [{ containerPort: 8000 }],
          resources: {
            requests: { cpu: '2', memory: '16Gi', 'nvidia.com/gpu': '1' },
            limits: { cpu: '4', memory: '32Gi', 'nvidia.com/gpu': '1' },
          },
          volumeMounts: [{ name: 'nim-pvc', mountPath: '/mnt/models/cache' }],
        },
      ],
      volumes: [
        {
          name: 'nim-pvc',
          persistentVolumeClaim: { claimName: overrides.claimName ?? `nim-pvc-${name}` },
        },
      ],
    },
  };
}

/** An InferenceService as read back from the cluster. */
export function mockInferenceService(
  overrides: { name?: string; runtime?: string; status?: InferenceServiceRead['status'] } = {},
): InferenceServiceRead {
  const name = overrides.name ?? 'llama-8b';
  return {
    metadata: {
      name,
      namespace: 'project',
      labels: { 'opendatahub.io/dashboard': 'true' },
      annotations: { 'openshift.io/display-name': 'Llama 3.1 8B' },
    },
    spec: {
      predictor: {
        minReplicas: 1,
        maxReplicas: 2,
        model: {
          modelFormat: { name: 'llama-3.1-8b-instruct' },
          runtime: overrides.runtime ?? name,
        },
      },
    },
    ...(overrides.status ? { status: overrides.status } : {}),
  };
}

/** A valid catalog entry: the model `mockDeployRequest` deploys. */
export { mockModelEntry } from '@odh-nim/contract/testing';
