import { describe, expect, it } from 'vitest';

import { mockInferenceService, mockModelEntry, mockServingRuntime } from '../test-support/mocks.js';
import {
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
