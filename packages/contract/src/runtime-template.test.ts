import { describe, expect, it } from 'vitest';

import {
  DEFAULT_NIM_RESOURCES,
  buildRuntimeTemplate,
  protocolOfTemplate,
} from './runtime-template.js';
import { buildServingRuntime, findTemplateRuntime } from './serving-runtime.js';
import { mockModelEntry } from './testing.js';

describe('buildRuntimeTemplate', () => {
  it('follows the dashboard Template convention (SPEC 2.2)', () => {
    const template = buildRuntimeTemplate('http');
    expect(template.metadata.name).toBe('nvidia-nim-runtime-http');
    expect(template.metadata.labels).toEqual({
      'opendatahub.io/dashboard': 'true',
      'opendatahub.io/ootb': 'true',
    });
    expect(template.metadata.annotations).toMatchObject({
      'opendatahub.io/modelServingSupport': '["single"]',
      'opendatahub.io/apiProtocol': 'REST',
    });
    const runtime = findTemplateRuntime(template);
    expect(runtime.metadata.annotations).toMatchObject({
      'opendatahub.io/recommended-accelerators': '["nvidia.com/gpu"]',
      'runtimes.opendatahub.io/nvidia-nim': 'true',
      'openshift.io/display-name': 'NVIDIA NIM',
    });
    expect(runtime.spec.annotations).toEqual({
      'prometheus.io/path': '/v1/metrics',
      'prometheus.io/port': '8000',
    });
    expect(runtime.spec.multiModel).toBe(false);
    expect(runtime.spec.protocolVersions).toEqual(['grpc-v2', 'v2']);
    expect(runtime.spec.supportedModelFormats).toEqual([{ name: 'replace-me' }]);
    expect(runtime.spec.imagePullSecrets).toEqual([{ name: 'nvidia-nim-image-pull' }]);
    const [container] = runtime.spec.containers;
    expect(container?.name).toBe('kserve-container');
    expect(container?.image).toBe('');
    expect(container?.ports).toEqual([{ containerPort: 8000, protocol: 'TCP' }]);
    expect(container?.env).toEqual([
      { name: 'NIM_CACHE_PATH', value: '/mnt/models/cache' },
      {
        name: 'NGC_API_KEY',
        valueFrom: { secretKeyRef: { name: 'nvidia-nim-secrets', key: 'NGC_API_KEY' } },
      },
    ]);
    expect(container?.resources).toEqual(DEFAULT_NIM_RESOURCES);
    expect(container?.volumeMounts.map((m) => m.mountPath)).toEqual([
      '/mnt/models/cache',
      '/dev/shm',
      '/opt/nim/workspace',
      '/.cache',
      '/opt/nim/nginx',
      '/opt/nim/generated_configs',
      '/opt/nim/.cache',
      '/opt/nim/.config',
      '/opt/nim/.triton',
    ]);
    expect(runtime.spec.volumes[0]).toEqual({
      name: 'nim-pvc',
      persistentVolumeClaim: { claimName: 'nim-pvc' },
    });
    expect(runtime.spec.volumes[1]?.emptyDir?.medium).toBe('Memory');
  });

  it('serves gRPC on 8001 (h2c) in the gRPC variant', () => {
    const template = buildRuntimeTemplate('grpc');
    expect(template.metadata.name).toBe('nvidia-nim-runtime-grpc');
    expect(template.metadata.annotations?.['opendatahub.io/apiProtocol']).toBe('gRPC');
    expect(findTemplateRuntime(template).spec.containers[0]?.ports).toEqual([
      { containerPort: 8001, name: 'h2c', protocol: 'TCP' },
    ]);
    expect(protocolOfTemplate('nvidia-nim-runtime-grpc')).toBe('grpc');
    expect(protocolOfTemplate('other')).toBeUndefined();
  });
});

describe('buildServingRuntime', () => {
  const template = buildRuntimeTemplate('http');
  const params = {
    template,
    name: 'llama',
    namespace: 'team-a',
    displayName: 'My Llama',
    model: mockModelEntry(),
    tag: '1.8.4',
    resources: {
      requests: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' },
      limits: { cpu: '8', memory: '32Gi', 'nvidia.com/gpu': '1' },
    },
    storage: { claimName: 'nim-pvc-llama' },
    keyCollection: true,
  };

  it('renders the deployment from the Template (SPEC 2.4) without touching the Template', () => {
    const before = structuredClone(template);
    const runtime = buildServingRuntime(params);
    expect(template).toEqual(before);
    expect(runtime.metadata.name).toBe('llama');
    expect(runtime.metadata.namespace).toBe('team-a');
    expect(runtime.metadata.labels).toEqual({ 'opendatahub.io/dashboard': 'true' });
    expect(runtime.metadata.annotations).toMatchObject({
      'opendatahub.io/template-name': 'nvidia-nim-runtime-http',
      'opendatahub.io/template-display-name': 'NVIDIA NIM serving runtime (HTTP)',
      'openshift.io/display-name': 'My Llama',
      'runtimes.opendatahub.io/nvidia-nim': 'true',
    });
    expect(runtime.spec.supportedModelFormats).toEqual([
      { name: 'llama-3.1-8b-instruct', version: '1.8.4', autoSelect: false, priority: 1 },
    ]);
    const container = runtime.spec.containers[0];
    expect(container?.image).toBe('nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4');
    expect(container?.resources).toEqual(params.resources);
    expect(runtime.spec.volumes[0]).toEqual({
      name: 'nim-pvc',
      persistentVolumeClaim: { claimName: 'nim-pvc-llama' },
    });
    expect(container?.volumeMounts[0]).toEqual({ name: 'nim-pvc', mountPath: '/mnt/models/cache' });
    expect(runtime.spec.imagePullSecrets).toEqual([{ name: 'nvidia-nim-image-pull' }]);
  });

  it('mounts an existing PVC at a subPath', () => {
    const runtime = buildServingRuntime({
      ...params,
      storage: { claimName: 'shared', subPath: 'llama' },
    });
    expect(runtime.spec.volumes[0]?.persistentVolumeClaim?.claimName).toBe('shared');
    expect(runtime.spec.containers[0]?.volumeMounts[0]?.subPath).toBe('llama');
  });

  it('strips the key env and the pull secret when key collection is off', () => {
    const runtime = buildServingRuntime({
      ...params,
      keyCollection: false,
      registry: 'mirror.local',
    });
    expect(runtime.spec.containers[0]?.env.map((e) => e.name)).toEqual(['NIM_CACHE_PATH']);
    expect(runtime.spec).not.toHaveProperty('imagePullSecrets');
    expect(runtime.spec.containers[0]?.image).toBe(
      'mirror.local/nim/meta/llama-3.1-8b-instruct:1.8.4',
    );
  });

  it('rejects a Template without a NIM ServingRuntime', () => {
    expect(() =>
      buildServingRuntime({ ...params, template: { ...template, objects: [] } }),
    ).toThrowError(/has no ServingRuntime/);
  });
});
