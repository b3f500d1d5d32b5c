import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CoreV1Api, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import {
  ANNOTATIONS,
  MODELS_CONFIGMAP_NAME,
  buildModelsConfigMap,
  serializeModelsConfigMap,
  type ModelEntry,
  type ModelsConfigMap,
} from '@odh-nim/contract';
import { createTestNamespace } from '@odh-nim/testkit';
import { adminKubeConfig, controlPlaneInfo } from '@odh-nim/testkit/vitest';
import { beforeEach, describe, expect, it } from 'vitest';

import { applyCatalog, run } from '../src/index.js';

function model(name: string, latestTag = '1.0'): ModelEntry {
  return {
    name,
    displayName: name,
    shortDescription: 'A test model.',
    namespace: 'nim/meta',
    tags: [latestTag],
    latestTag,
    updatedDate: '2025-01-02T03:04:05.000Z',
    euRestricted: false,
  };
}

async function readCatalog(kc: KubeConfig, namespace: string): Promise<V1ConfigMap> {
  return kc
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap({ name: MODELS_CONFIGMAP_NAME, namespace });
}

function digestOf(configMap: { metadata?: { annotations?: Record<string, string> } }): string {
  return configMap.metadata?.annotations?.[ANNOTATIONS.catalogDigest] ?? '';
}

// Namespaced only: runs on the shared control plane, a namespace per test.
describe('applyCatalog on a real apiserver', () => {
  let kc: KubeConfig;
  let namespace: string;
  let installed: ModelsConfigMap;

  beforeEach(async () => {
    kc = adminKubeConfig();
    namespace = await createTestNamespace(kc, 'nim-catalog');
    installed = await buildModelsConfigMap([model('a'), model('b')]);
    const report = await applyCatalog({ kubeConfig: kc, manifest: installed, namespace });
    expect(report.status).toBe('created');
  });

  it('creates an immutable catalog', async () => {
    const cm = await readCatalog(kc, namespace);
    expect(cm.immutable).toBe(true);
    expect(cm.data).toEqual(installed.data);
    expect(digestOf(cm)).toBe(digestOf(installed));
  });

  it('leaves an identical catalog alone', async () => {
    const before = await readCatalog(kc, namespace);
    const report = await applyCatalog({
      kubeConfig: kc,
      manifest: serializeModelsConfigMap(installed),
      namespace,
    });
    expect(report).toMatchObject({ status: 'unchanged', digest: digestOf(installed) });
    const after = await readCatalog(kc, namespace);
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it('replaces a changed catalog, which cannot be patched', async () => {
    const before = await readCatalog(kc, namespace);
    const shipped = await buildModelsConfigMap([model('a', '2.0'), model('c')]);
    // NB: the reason for delete-and-create: the apiserver refuses any change to the data.
    await expect(
      kc.makeApiClient(CoreV1Api).replaceNamespacedConfigMap({
        name: MODELS_CONFIGMAP_NAME,
        namespace,
        body: { ...before, data: shipped.data },
      }),
    ).rejects.toMatchObject({ code: 422 });

    const report = await applyCatalog({ kubeConfig: kc, manifest: shipped, namespace });
    expect(report).toMatchObject({
      status: 'replaced',
      previousDigest: digestOf(installed),
      digest: digestOf(shipped),
      models: 2,
    });
    const after = await readCatalog(kc, namespace);
    expect(after.metadata?.uid).not.toBe(before.metadata?.uid);
    expect(after.data).toEqual(shipped.data);
    expect(after.immutable).toBe(true);
    expect(digestOf(after)).toBe(digestOf(shipped));
  });

  it('dry run validates the replacement on the apiserver and changes nothing', async () => {
    const before = await readCatalog(kc, namespace);
    const report = await applyCatalog({
      kubeConfig: kc,
      manifest: await buildModelsConfigMap([model('z')]),
      namespace,
      dryRun: true,
    });
    expect(report.status).toBe('would-replace');
    const after = await readCatalog(kc, namespace);
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it('nim-upgrade apply-catalog FILE replaces, then reports unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nim-catalog-'));
    const file = join(dir, 'catalog.yaml');
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, controlPlaneInfo().adminKubeconfig, { mode: 0o600 });
    const shipped = await buildModelsConfigMap([model('a'), model('b'), model('d')]);
    await writeFile(file, serializeModelsConfigMap(shipped));
    const invoke = async (): Promise<{ code: number; text: string }> => {
      const out: string[] = [];
      const code = await run(
        ['apply-catalog', file, '--kubeconfig', kubeconfig, '--applications-namespace', namespace],
        { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true }, env: {} },
      );
      return { code, text: out.join('') };
    };
    const first = await invoke();
    expect(first.code).toBe(0);
    expect(first.text).toBe(
      `Replaced ConfigMap ${namespace}/${MODELS_CONFIGMAP_NAME}: ${digestOf(installed)} → ${digestOf(shipped)} (3 models).\n`,
    );
    const second = await invoke();
    expect(second.code).toBe(0);
    expect(second.text).toMatch(/^Unchanged ConfigMap .*: the cluster already has this catalog/);
  });
});
