import { decodeBase64 } from '@odh-nim/contract';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

import { buildDeployRequest, buildInitialSettings } from './form.js';
import { mockModel } from './test-models.js';
import { buildPreviewObjects, buildResources, REDACTED } from './yaml-preview.js';

const model = mockModel();
const settings = buildInitialSettings(model);
const request = (overrides: Partial<Parameters<typeof buildDeployRequest>[0]> = {}) =>
  buildDeployRequest({
    modelName: model.name,
    tag: '1.10.1',
    settings,
    key: { mode: 'new', apiKey: 'nvapi-test-secret' },
    keyCollection: true,
    ...overrides,
  });

describe('buildPreviewObjects', () => {
  it('lists the five objects in creation order', () => {
    const objects = buildPreviewObjects(request(), {
      namespace: 'demo',
      model,
      keyCollection: true,
    });
    expect(objects.map((o) => `${o.kind}/${o.name}`)).toEqual([
      'Secret/nvidia-nim-secrets',
      'Secret/nvidia-nim-image-pull',
      'PersistentVolumeClaim/nim-pvc-llama-3-1-8b-instruct',
      'ServingRuntime/llama-3-1-8b-instruct',
      'InferenceService/llama-3-1-8b-instruct',
    ]);
  });

  it('redacts every secret value and never contains the key', () => {
    const objects = buildPreviewObjects(request(), {
      namespace: 'demo',
      model,
      keyCollection: true,
    });
    const all = objects.map((o) => o.yaml).join('\n');
    expect(all).not.toContain('nvapi-test-secret');
    for (const object of objects.filter((o) => o.kind === 'Secret')) {
      const secret = YAML.parse(object.yaml) as { data: Record<string, string> };
      expect(Object.values(secret.data).length).toBeGreaterThan(0);
      expect(Object.values(secret.data).every((value) => value === REDACTED)).toBe(true);
    }
    // Nothing base64 that decodes to a preview key either.
    expect(all).not.toMatch(/bnZhcGk/);
    expect(() => decodeBase64(REDACTED)).toThrow();
  });

  it('sets image, claim and resources on the runtime', () => {
    const objects = buildPreviewObjects(request(), {
      namespace: 'demo',
      model,
      keyCollection: true,
      registry: 'mirror.example.com/nvcr',
    });
    const runtime = objects.find((o) => o.kind === 'ServingRuntime');
    expect(runtime?.yaml).toContain(
      'image: mirror.example.com/nvcr/nim/meta/llama-3.1-8b-instruct:1.10.1',
    );
    expect(runtime?.yaml).toContain('claimName: nim-pvc-llama-3-1-8b-instruct');
    expect(runtime?.yaml).toContain('nvidia.com/gpu: "2"');
  });

  it('skips secrets with the stored key, and when key collection is off', () => {
    const existing = buildPreviewObjects(request({ key: { mode: 'existing', apiKey: '' } }), {
      namespace: 'demo',
      model,
      keyCollection: true,
    });
    expect(existing.some((o) => o.kind === 'Secret')).toBe(false);
    const off = buildPreviewObjects(request({ keyCollection: false }), {
      namespace: 'demo',
      model,
      keyCollection: false,
    });
    expect(off.some((o) => o.kind === 'Secret')).toBe(false);
    expect(off.find((o) => o.kind === 'ServingRuntime')?.yaml).not.toContain('NGC_API_KEY');
  });

  it('uses an existing claim with its sub-path and creates no PVC', () => {
    const objects = buildPreviewObjects(
      request({
        settings: { ...settings, storageMode: 'existing', claimName: 'shared', subPath: 'nim' },
      }),
      { namespace: 'demo', model, keyCollection: true },
    );
    expect(objects.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
    const runtime = objects.find((o) => o.kind === 'ServingRuntime')?.yaml ?? '';
    expect(runtime).toContain('claimName: shared');
    expect(runtime).toContain('subPath: nim');
  });
});

describe('buildResources', () => {
  it('omits the GPU when none is asked for', () => {
    expect(
      buildResources({
        gpus: 0,
        cpu: { request: '1', limit: '2' },
        memory: { request: '1Gi', limit: '2Gi' },
      }),
    ).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
  });
});
