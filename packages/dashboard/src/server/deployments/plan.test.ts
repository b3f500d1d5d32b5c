import { describe, expect, it } from 'vitest';

import { ANNOTATIONS, buildModelsConfigMap, buildRuntimeTemplate } from '@odh-nim/contract';

import { DashboardError } from '../errors.js';
import { buildCatalogSnapshot } from '../k8s/catalog/snapshot.js';
import { mockDeployRequest, mockModelEntry } from '../test-support/mocks.js';
import { buildDeployPlan, buildResourceRequirements, checkAgainstCatalog } from './plan.js';

const source = { name: 'nvidia-nim-models-data', namespace: 'opendatahub', custom: false };

describe('buildResourceRequirements', () => {
  it('maps GPUs, CPU and memory to requests and limits', () => {
    expect(buildResourceRequirements(mockDeployRequest().resources)).toEqual({
      requests: { cpu: '2', memory: '16Gi', 'nvidia.com/gpu': '1' },
      limits: { cpu: '4', memory: '32Gi', 'nvidia.com/gpu': '1' },
    });
  });

  it('leaves the GPU out when none is asked for', () => {
    const resources = buildResourceRequirements({ ...mockDeployRequest().resources, gpus: 0 });
    expect(resources.requests['nvidia.com/gpu']).toBeUndefined();
    expect(resources.limits['nvidia.com/gpu']).toBeUndefined();
  });
});

describe('buildDeployPlan', () => {
  const base = {
    namespace: 'project',
    model: mockModelEntry(),
    template: buildRuntimeTemplate('http'),
    keyCollection: true,
    apiKey: 'nvapi-test-unit',
  };

  it('builds secrets, a PVC and records it on the ServingRuntime', () => {
    const plan = buildDeployPlan({ ...base, request: mockDeployRequest() });
    expect(plan.secrets.map((s) => s.metadata.name)).toEqual([
      'nvidia-nim-secrets',
      'nvidia-nim-image-pull',
    ]);
    expect(plan.pvc?.metadata.name).toBe('nim-pvc-llama-8b');
    expect(plan.servingRuntime.metadata.annotations?.[ANNOTATIONS.createdPvc]).toBe(
      'nim-pvc-llama-8b',
    );
    expect(plan.inferenceService.spec.predictor).toMatchObject({ minReplicas: 1, maxReplicas: 2 });
  });

  it('mounts an existing PVC with its sub-path and records no created PVC', () => {
    const plan = buildDeployPlan({
      ...base,
      request: mockDeployRequest({
        storage: { mode: 'existing', claimName: 'shared', subPath: 'llama' },
      }),
    });
    expect(plan.pvc).toBeUndefined();
    expect(plan.servingRuntime.metadata.annotations?.[ANNOTATIONS.createdPvc]).toBeUndefined();
    const container = plan.servingRuntime.spec.containers[0];
    expect(container?.volumeMounts.find((m) => m.name === 'nim-pvc')?.subPath).toBe('llama');
  });

  it('writes no secret when the key is not collected or the stored one is kept', () => {
    expect(
      buildDeployPlan({ ...base, keyCollection: false, request: mockDeployRequest() }).secrets,
    ).toEqual([]);
    expect(
      buildDeployPlan({ ...base, apiKey: undefined, request: mockDeployRequest() }).secrets,
    ).toEqual([]);
  });

  it('uses the registry override for the image and the pull secret', () => {
    const plan = buildDeployPlan({
      ...base,
      registry: 'mirror.example.com/nvcr',
      request: mockDeployRequest(),
    });
    expect(plan.servingRuntime.spec.containers[0]?.image).toBe(
      'mirror.example.com/nvcr/nim/meta/llama-3.1-8b-instruct:1.8.4',
    );
  });
});

describe('checkAgainstCatalog', () => {
  it('finds the model and tag', async () => {
    const configMap = await buildModelsConfigMap([mockModelEntry()]);
    const catalog = buildCatalogSnapshot(configMap, source);
    expect(checkAgainstCatalog(mockDeployRequest(), catalog).issues).toEqual([]);
    expect(
      checkAgainstCatalog(mockDeployRequest({ modelName: 'nope' }), catalog).issues[0]?.field,
    ).toBe('modelName');
    expect(checkAgainstCatalog(mockDeployRequest({ tag: '0.1' }), catalog).issues[0]).toEqual({
      field: 'tag',
      message: '"0.1" is not a tag of llama-3.1-8b-instruct (tags: 1.8.4, latest, 1.8, 1)',
    });
  });

  it('refuses with 409 when no catalog is installed', () => {
    const catalog = buildCatalogSnapshot(undefined, source);
    expect(() => checkAgainstCatalog(mockDeployRequest(), catalog)).toThrow(DashboardError);
  });
});
