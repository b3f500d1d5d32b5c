import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { createTestNamespace, resolveKustomize } from '@odh-nim/testkit';
import { adminKubeConfig, newUserKubeConfig } from '@odh-nim/testkit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';

import {
  API,
  DEFAULT_APPLICATIONS_NAMESPACE,
  DEFAULT_NIM_RESOURCES,
  MODELS_CONFIGMAP_NAME,
  RHOAI_APPLICATIONS_NAMESPACE,
  RUNTIME_TEMPLATE_GRPC,
  RUNTIME_TEMPLATE_HTTP,
  buildInferenceService,
  buildRuntimeTemplate,
  buildServingRuntime,
  getCatalogDigest,
  parseModelsConfigMap,
  type TemplateObject,
} from '../src/index.js';

const manifestsDir = fileURLToPath(new URL('../../../manifests/', import.meta.url));
const kc = adminKubeConfig();
const objects = KubernetesObjectApi.makeApiClient(kc);
const custom = kc.makeApiClient(CustomObjectsApi);

type ManifestObject = KubernetesObject & Record<string, unknown>;

/** `kustomize build` of a kustomization directory. */
async function kustomizeBuild(dir: string): Promise<ManifestObject[]> {
  const kustomize = await resolveKustomize();
  const { stdout } = await promisify(execFile)(kustomize, ['build', dir], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return YAML.parseAllDocuments(stdout).map((doc) => doc.toJS() as ManifestObject);
}

/** `kustomize build manifests/`, with the applications namespace swapped for a test's own. */
async function buildManifests(namespace: string): Promise<ManifestObject[]> {
  return (await kustomizeBuild(manifestsDir)).map((object) => {
    expect(object.metadata?.namespace).toBe(DEFAULT_APPLICATIONS_NAMESPACE);
    return { ...object, metadata: { ...object.metadata, namespace } };
  });
}

function find(list: ManifestObject[], kind: string, name: string): ManifestObject {
  const object = list.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!object) throw new Error(`manifests have no ${kind} ${name}`);
  return object;
}

describe('shipped manifests', () => {
  let appsNamespace: string;
  let manifests: ManifestObject[];

  beforeAll(async () => {
    appsNamespace = await createTestNamespace(kc, 'apps');
    manifests = await buildManifests(appsNamespace);
  });

  it('hold exactly the catalog, both Templates and the dashboard RBAC', () => {
    expect(manifests.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual([
      `ConfigMap/${MODELS_CONFIGMAP_NAME}`,
      'Role/nvidia-nim-catalog-reader',
      'RoleBinding/nvidia-nim-catalog-reader',
      `Template/${RUNTIME_TEMPLATE_GRPC}`,
      `Template/${RUNTIME_TEMPLATE_HTTP}`,
    ]);
  });

  it('ship the Templates the contract describes, and a valid, immutable catalog', async () => {
    for (const protocol of ['http', 'grpc'] as const) {
      const template = buildRuntimeTemplate(protocol);
      const shipped = find(manifests, 'Template', template.metadata.name);
      expect(shipped.objects).toEqual(template.objects);
    }
    const catalog = find(manifests, 'ConfigMap', MODELS_CONFIGMAP_NAME);
    expect(catalog.immutable).toBe(true);
    const { models, problems } = parseModelsConfigMap(catalog, { strict: true });
    expect(problems).toEqual([]);
    expect(models.length).toBeGreaterThan(100);
    expect(getCatalogDigest(catalog)).toMatch(/^sha256:/);
  });

  it('are valid against the apiserver and the CRDs (server-side dry run of every object)', async () => {
    for (const object of manifests) {
      await objects.create(object, undefined, 'All');
    }
    // A dry run persists nothing.
    await expect(
      kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({
        name: MODELS_CONFIGMAP_NAME,
        namespace: appsNamespace,
      }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('apply, and a ServingRuntime rendered from the stored Template reads back unpruned', async () => {
    for (const object of manifests) await objects.create(object);

    const stored = (await custom.getNamespacedCustomObject({
      ...API.template,
      namespace: appsNamespace,
      name: RUNTIME_TEMPLATE_HTTP,
    })) as TemplateObject;
    expect(stored.objects).toEqual(find(manifests, 'Template', RUNTIME_TEMPLATE_HTTP).objects);

    const configMap = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: MODELS_CONFIGMAP_NAME, namespace: appsNamespace });
    const model = parseModelsConfigMap(configMap).models.find((m) => m.tags.length > 1);
    if (!model) throw new Error('catalog has no model with several tags');

    const project = await createTestNamespace(kc, 'user');
    const runtime = buildServingRuntime({
      template: stored,
      name: 'nim-test',
      namespace: project,
      displayName: 'NIM test',
      model,
      tag: model.latestTag,
      resources: DEFAULT_NIM_RESOURCES,
      storage: { claimName: 'nim-pvc-nim-test', subPath: 'cache' },
      keyCollection: true,
    });
    const isvc = buildInferenceService({
      name: 'nim-test',
      namespace: project,
      displayName: 'NIM test',
      modelName: model.name,
      runtimeName: 'nim-test',
      minReplicas: 1,
      maxReplicas: 1,
      resources: DEFAULT_NIM_RESOURCES,
      externalRoute: true,
      tokenAuth: true,
    });
    const createdRuntime = await custom.createNamespacedCustomObject({
      ...API.servingRuntime,
      namespace: project,
      body: runtime,
    });
    const createdIsvc = await custom.createNamespacedCustomObject({
      ...API.inferenceService,
      namespace: project,
      body: isvc,
    });
    for (const [sent, created] of [
      [runtime, createdRuntime],
      [isvc, createdIsvc],
    ] as const) {
      const readBack = created as typeof sent;
      expect(readBack.spec).toEqual(sent.spec);
      expect(readBack.metadata.labels).toEqual(sent.metadata.labels);
      expect(readBack.metadata.annotations).toEqual(sent.metadata.annotations);
    }
  });

  it("bind the dashboard's own service account: odh-dashboard, and rhods-dashboard on RHOAI", async () => {
    const binding = 'nvidia-nim-catalog-reader';
    expect(find(manifests, 'RoleBinding', binding).subjects).toEqual([
      { kind: 'ServiceAccount', name: 'odh-dashboard' },
    ]);
    const rhoai = await kustomizeBuild(join(manifestsDir, 'overlays', 'rhoai'));
    for (const object of rhoai) {
      expect(object.metadata?.namespace).toBe(RHOAI_APPLICATIONS_NAMESPACE);
    }
    // NB: a ServiceAccount subject without a namespace means the RoleBinding's own namespace.
    expect(find(rhoai, 'RoleBinding', binding).subjects).toEqual([
      { kind: 'ServiceAccount', name: 'rhods-dashboard' },
    ]);
  });

  it("grant the dashboard's service account reads of the catalog and Templates, and nothing more", async () => {
    const dashboard = newUserKubeConfig({
      name: `system:serviceaccount:${appsNamespace}:odh-dashboard`,
      groups: ['system:serviceaccounts'],
    });
    const core = dashboard.makeApiClient(CoreV1Api);
    const asDashboard = dashboard.makeApiClient(CustomObjectsApi);
    await core.readNamespacedConfigMap({ name: MODELS_CONFIGMAP_NAME, namespace: appsNamespace });
    await asDashboard.getNamespacedCustomObject({
      ...API.template,
      namespace: appsNamespace,
      name: RUNTIME_TEMPLATE_GRPC,
    });
    await expect(core.listNamespacedSecret({ namespace: appsNamespace })).rejects.toMatchObject({
      code: 403,
    });
    await expect(
      core.createNamespacedConfigMap({
        namespace: appsNamespace,
        body: { metadata: { name: 'not-allowed' } },
      }),
    ).rejects.toMatchObject({ code: 403 });
  });
});
