import { describe, expect, it } from 'vitest';

import { mockInferenceService, mockModelEntry, mockServingRuntime } from '../test-support/mocks.js';
import {
  buildDeploymentItem,
  buildDeploymentList,
  cacheClaimOf,
  isNimServingRuntime,
  protocolOfRuntime,
} from './nim-runtime.js';

describe('isNimServingRuntime', () => {
  it('recognises the NIM annotation or a NIM Template name', () => {
    expect(isNimServingRuntime(mockServingRuntime())).toBe(true);
    expect(
      isNimServingRuntime({
        metadata: {
          name: 'x',
          annotations: { 'opendatahub.io/template-name': 'nvidia-nim-runtime-grpc' },
        },
      }),
    ).toBe(true);
    expect(
      isNimServingRuntime({
        metadata: { name: 'x', annotations: { 'opendatahub.io/template-name': 'vllm-runtime' } },
      }),
    ).toBe(false);
    expect(isNimServingRuntime({ metadata: { name: 'x' } })).toBe(false);
  });
});

describe('cacheClaimOf', () => {
  it('returns the nim-pvc claim and its sub-path', () => {
    const runtime = mockServingRuntime({ claimName: 'shared' });
    const mount = runtime.spec?.containers?.[0]?.volumeMounts?.[0];
    if (mount) mount.subPath = 'models/a';
    expect(cacheClaimOf(runtime)).toEqual({ claimName: 'shared', subPath: 'models/a' });
  });
});

describe('protocolOfRuntime', () => {
  it('reads the Template name, else the port name', () => {
    expect(protocolOfRuntime(mockServingRuntime())).toBe('http');
    const grpc = mockServingRuntime({ annotations: { 'opendatahub.io/template-name': 'custom' } });
    const container = grpc.spec?.containers?.[0];
    if (container) container.ports = [{ containerPort: 8001, name: 'h2c' }];
    expect(protocolOfRuntime(grpc)).toBe('grpc');
  });
});

describe('buildDeploymentList', () => {
  it('pairs NIM runtimes with their InferenceServices, skips others, sorts by name', () => {
    const list = buildDeploymentList({
      runtimes: [
        mockServingRuntime({ name: 'zeta' }),
        mockServingRuntime({
          name: 'alpha',
          annotations: { 'opendatahub.io/nim-created-pvc': 'nim-pvc-alpha' },
        }),
        { metadata: { name: 'vllm' } },
      ],
      inferenceServices: [
        mockInferenceService({
          name: 'alpha',
          status: {
            url: 'https://alpha.example.com',
            address: { url: 'http://alpha.svc' },
            conditions: [{ type: 'Ready', status: 'True' }],
          },
        }),
      ],
      catalog: new Map([['llama-3.1-8b-instruct', mockModelEntry()]]),
    });
    expect(list.map((d) => d.name)).toEqual(['alpha', 'zeta']);
    expect(list[0]).toEqual({
      name: 'alpha',
      namespace: 'project',
      displayName: 'Llama 3.1 8B',
      modelName: 'llama-3.1-8b-instruct',
      modelDisplayName: 'Llama 3.1 8B Instruct',
      tag: '1.8.4',
      image: 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4',
      replicas: { min: 1, max: 2 },
      protocol: 'http',
      url: 'https://alpha.example.com',
      internalUrl: 'http://alpha.svc',
      externalRoute: false,
      tokenAuth: false,
      status: { phase: 'Ready' },
      storage: { claimName: 'nim-pvc-alpha', created: true },
      resources: {
        gpus: 1,
        cpu: { request: '2', limit: '4' },
        memory: { request: '16Gi', limit: '32Gi' },
      },
      creationTimestamp: '2025-01-01T00:00:00Z',
    });
    expect(list[1]).toMatchObject({
      name: 'zeta',
      orphanedRuntime: true,
      status: { phase: 'Pending', reason: 'InferenceServiceMissing' },
      storage: { claimName: 'nim-pvc-zeta', created: false },
    });
  });
});

describe('buildDeploymentItem storage', () => {
  const isvcOwner = (name: string, uid: string) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    name,
    uid,
  });
  const pvc = (owners: ReturnType<typeof isvcOwner>[]) => ({
    metadata: { name: 'nim-pvc-llama-8b', ownerReferences: owners },
    spec: { resources: { requests: { storage: '50Gi' } } },
  });
  const item = (pvcs?: Map<string, ReturnType<typeof pvc>>) => {
    const isvc = mockInferenceService();
    return buildDeploymentItem({
      runtime: mockServingRuntime(),
      inferenceService: { ...isvc, metadata: { ...isvc.metadata, uid: 'mine' } },
      pvcs,
    }).storage;
  };

  it('says whether the PVC goes with the deployment, and with whom it is shared', () => {
    const only = new Map([['nim-pvc-llama-8b', pvc([isvcOwner('llama-8b', 'mine')])]]);
    expect(item(only)).toEqual({
      claimName: 'nim-pvc-llama-8b',
      created: false,
      size: '50Gi',
      owned: true,
    });
    const shared = new Map([
      ['nim-pvc-llama-8b', pvc([isvcOwner('llama-8b', 'mine'), isvcOwner('other', 'theirs')])],
    ]);
    expect(item(shared)).toMatchObject({ owned: true, sharedWith: ['other'] });
    const users = new Map([['nim-pvc-llama-8b', pvc([])]]);
    expect(item(users)).toMatchObject({ owned: false });
    expect(item(new Map())).toMatchObject({ missing: true });
    // The caller may not read PVCs: no claim about their fate.
    expect(item(undefined)).toEqual({ claimName: 'nim-pvc-llama-8b', created: false });
  });
});
