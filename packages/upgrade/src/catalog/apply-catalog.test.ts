import { KubeConfig } from '@kubernetes/client-node';
import {
  ANNOTATIONS,
  MODELS_CONFIGMAP_NAME,
  buildModelsConfigMap,
  serializeModelsConfigMap,
  type ModelEntry,
  type ModelsConfigMap,
} from '@odh-nim/contract';
import { beforeEach, describe, expect, it } from 'vitest';

import { apiError, FakeResourceClient } from '../k8s/fake-resource-client.js';
import type { KubeObject } from '../k8s/objects.js';
import { applyCatalog, formatApplyCatalogReport } from './apply-catalog.js';

const NS = 'apps';
const KEY = `ConfigMap/${NS}/${MODELS_CONFIGMAP_NAME}`;

function model(name: string): ModelEntry {
  return {
    name,
    displayName: name,
    shortDescription: 'A test model.',
    namespace: 'nim/meta',
    tags: ['1.0'],
    latestTag: '1.0',
    updatedDate: '2025-01-02T03:04:05.000Z',
    euRestricted: false,
  };
}

function catalog(...names: string[]): Promise<ModelsConfigMap> {
  return buildModelsConfigMap(names.map(model));
}

function apply(
  client: FakeResourceClient,
  manifest: unknown,
  dryRun = false,
): ReturnType<typeof applyCatalog> {
  return applyCatalog({
    kubeConfig: new KubeConfig(),
    client,
    manifest,
    namespace: NS,
    dryRun,
    retry: { sleep: async () => undefined },
  });
}

describe('applyCatalog', () => {
  let client: FakeResourceClient;
  beforeEach(() => {
    client = new FakeResourceClient();
  });

  it('creates the catalog when the cluster has none', async () => {
    const shipped = await catalog('a');
    const report = await apply(client, serializeModelsConfigMap(shipped));
    expect(report).toMatchObject({ status: 'created', models: 1, namespace: NS });
    expect(client.objects.get(KEY)).toMatchObject({ immutable: true, data: shipped.data });
  });

  it('leaves an identical catalog alone', async () => {
    const shipped = await catalog('a');
    client.add('ConfigMap', {
      ...shipped,
      metadata: { ...shipped.metadata, namespace: NS },
    } as KubeObject);
    const uid = client.objects.get(KEY)?.metadata.uid;
    const report = await apply(client, shipped);
    expect(report.status).toBe('unchanged');
    expect(client.objects.get(KEY)?.metadata.uid).toBe(uid);
    expect(client.calls.filter((call) => call.verb !== 'get')).toEqual([]);
  });

  it('replaces a changed catalog: validated first, then delete and create', async () => {
    const old = await catalog('a');
    client.add('ConfigMap', { ...old, metadata: { ...old.metadata, namespace: NS } } as KubeObject);
    const shipped = await catalog('a', 'b');
    const report = await apply(client, shipped);
    expect(report).toMatchObject({
      status: 'replaced',
      previousDigest: old.metadata.annotations[ANNOTATIONS.catalogDigest],
      digest: shipped.metadata.annotations[ANNOTATIONS.catalogDigest],
      models: 2,
    });
    expect(
      client.calls.filter((call) => call.verb !== 'get').map((c) => [c.verb, c.dryRun]),
    ).toEqual([
      ['create', true],
      ['delete', false],
      ['create', false],
    ]);
    expect(client.objects.get(KEY)?.['data']).toEqual(shipped.data);
  });

  it('dry run validates the replace and changes nothing', async () => {
    const old = await catalog('a');
    client.add('ConfigMap', { ...old, metadata: { ...old.metadata, namespace: NS } } as KubeObject);
    const before = structuredClone(client.objects.get(KEY));
    const report = await apply(client, await catalog('b'), true);
    expect(report.status).toBe('would-replace');
    expect(client.objects.get(KEY)).toEqual(before);
    expect(formatApplyCatalogReport(report)).toContain('Dry run: nothing was changed.');
  });

  it('retries the create after the delete on transient failures', async () => {
    const old = await catalog('a');
    client.add('ConfigMap', { ...old, metadata: { ...old.metadata, namespace: NS } } as KubeObject);
    let failures = 0;
    client.failWith = (call) =>
      call.verb === 'create' && !call.dryRun && failures++ < 3
        ? apiError(503, 'ServiceUnavailable')
        : undefined;
    const report = await apply(client, await catalog('b'));
    expect(report.status).toBe('replaced');
    expect(failures).toBe(4);
  });

  it('puts the old catalog back when the create keeps failing', async () => {
    const old = await catalog('a');
    client.add('ConfigMap', { ...old, metadata: { ...old.metadata, namespace: NS } } as KubeObject);
    const shipped = await catalog('b');
    client.failWith = (call) =>
      call.verb === 'create' &&
      !call.dryRun &&
      (call.body as KubeObject).metadata.annotations?.[ANNOTATIONS.catalogDigest] ===
        shipped.metadata.annotations[ANNOTATIONS.catalogDigest]
        ? apiError(500, 'InternalError', 'etcd timeout')
        : undefined;
    const report = await apply(client, shipped);
    expect(report).toMatchObject({ status: 'failed', restored: true });
    expect(report.error).toMatch(/previous catalog was put back/);
    expect(client.objects.get(KEY)?.['data']).toEqual(old.data);
  });

  it('leaves the old catalog in place when the apiserver rejects the new one', async () => {
    const old = await catalog('a');
    client.add('ConfigMap', { ...old, metadata: { ...old.metadata, namespace: NS } } as KubeObject);
    client.failWith = (call) =>
      call.verb === 'create' && call.dryRun ? apiError(422, 'Invalid', 'too long') : undefined;
    const report = await apply(client, await catalog('b'));
    expect(report).toMatchObject({ status: 'failed' });
    expect(report.error).toMatch(/old one was left in place: HTTP 422 Invalid: too long/);
    expect(client.calls.some((call) => call.verb === 'delete')).toBe(false);
  });

  it('refuses a manifest that is not a valid catalog, before touching the cluster', async () => {
    await expect(apply(client, 'kind: Secret\n')).rejects.toMatchObject({
      code: 'invalid-manifest',
    });
    const shipped = await catalog('a');
    await expect(
      apply(client, { ...shipped, data: { a: '{"not":"a model"}' } }),
    ).rejects.toMatchObject({ code: 'invalid-manifest' });
    await expect(
      apply(client, { ...shipped, data: { ...shipped.data, b: shipped.data['a'] } }),
    ).rejects.toMatchObject({ code: 'invalid-manifest' });
    await expect(
      apply(client, {
        ...shipped,
        metadata: { ...shipped.metadata, annotations: { [ANNOTATIONS.catalogDigest]: 'sha256:0' } },
      }),
    ).rejects.toThrow(/does not match its data/);
    expect(client.calls).toEqual([]);
  });
});
