import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import {
  ANNOTATIONS,
  API,
  DASHBOARD_CONFIG_NAME,
  LABELS,
  LEGACY,
  RUNTIME_TEMPLATE_HTTP,
} from '@odh-nim/contract';
import {
  CRD_NAMES,
  CRD_PATCHES,
  applyCrdPatches,
  createTestNamespace,
  selectCrdSet,
  startControlPlane,
  type ControlPlane,
} from '@odh-nim/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';

import { cleanup } from '../src/index.js';
import {
  DSC_NAME,
  buildOldDataScienceCluster,
  createOldCluster,
  describeKey,
  readObject,
  waitFor,
  type ObjectKey,
} from './fixtures/old-cluster.js';

const CRDS = selectCrdSet().paths;
const ACCOUNT_CRD = CRDS[CRD_NAMES.account];
const TEMPLATE_CRD = CRDS[CRD_NAMES.template];

/**
 * The DataScienceCluster CRD of an older operator that serves v1 only: the chosen set's CRD
 * without v2, v1 stored.
 */
async function writeV1OnlyDscCrd(): Promise<string> {
  const crd = YAML.parse(await readFile(CRDS[CRD_NAMES.dataScienceCluster], 'utf8')) as {
    spec: { versions: { name: string; storage: boolean }[] };
  };
  crd.spec.versions = crd.spec.versions
    .filter((version) => version.name === 'v1')
    .map((version) => ({ ...version, storage: true }));
  const file = join(await mkdtemp(join(tmpdir(), 'dsc-v1-')), 'dsc-v1-only.yaml');
  await writeFile(file, YAML.stringify(crd));
  return file;
}

const ACCOUNT_API_VERSION = `${API.account.group}/${API.account.version}`;

// Cluster-wide effects and CRDs installed mid-file: a control plane of its own, tests in order.
describe('cleanup edge cases', () => {
  let plane: ControlPlane;
  let kc: KubeConfig;

  beforeAll(async () => {
    // Neither the Account CRD nor OpenShift's Template CRD: an OpenDataHub on plain Kubernetes
    // that only ever had the fixed-name objects of the oldest design, or whose Account CRD was
    // removed before the upgrade; an older operator serving DataScienceCluster v1 only.
    plane = await startControlPlane({
      crds: [
        CRDS[CRD_NAMES.servingRuntime],
        CRDS[CRD_NAMES.inferenceService],
        CRDS[CRD_NAMES.dscInitialization],
        CRDS[CRD_NAMES.dashboardConfig],
        await writeV1OnlyDscCrd(),
      ],
    });
    kc = plane.adminKubeConfig();
    await applyCrdPatches(kc, [CRD_PATCHES.dashboardConfigNimConfig]);
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it('cleans up without the Account and Template CRDs, noting what it skipped', async () => {
    const layout = {
      applicationsNamespace: await createTestNamespace(kc, 'nim-apps'),
      projectA: await createTestNamespace(kc, 'project-a'),
      projectB: await createTestNamespace(kc, 'project-b'),
    };
    const old = await createOldCluster(kc, layout, {
      accounts: false,
      templates: false,
      clusterScoped: false,
    });
    const userBefore = new Map<string, unknown>();
    for (const key of old.user) userBefore.set(describeKey(key), await readObject(kc, key));

    const report = await cleanup({
      kubeConfig: kc,
      applicationsNamespace: layout.applicationsNamespace,
    });
    expect(report.failed).toBe(false);
    expect(report.notes).toEqual([
      'Account is not installed on this cluster: skipped.',
      'Template is not installed on this cluster: skipped.',
    ]);
    for (const key of old.old) expect(await readObject(kc, key), describeKey(key)).toBeUndefined();
    expect(report.entries.filter((e) => e.status === 'deleted').length).toBe(old.old.length);

    // User objects: untouched, but for the runtimes now naming the new Template.
    for (const key of old.user) {
      const after = (await readObject(kc, key)) as {
        metadata: { annotations?: Record<string, string> };
      };
      if (key.kind === 'ServingRuntime') {
        expect(after.metadata.annotations?.[ANNOTATIONS.templateName]).toBe(RUNTIME_TEMPLATE_HTTP);
      } else {
        expect(after, describeKey(key)).toEqual(userBefore.get(describeKey(key)));
      }
    }

    const second = await cleanup({
      kubeConfig: kc,
      applicationsNamespace: layout.applicationsNamespace,
    });
    expect(second.nothingToDo).toBe(true);
  });

  it('finds what Accounts owned after their CRD went, by label and ownerReference', async () => {
    const apps = await createTestNamespace(kc, 'nim-apps');
    const project = await createTestNamespace(kc, 'project');
    const core = kc.makeApiClient(CoreV1Api);
    const ownedBy = (name: string): Record<string, unknown> => ({
      labels: { [LABELS.managed]: 'true' },
      ownerReferences: [
        {
          apiVersion: ACCOUNT_API_VERSION,
          kind: 'Account',
          name,
          uid: `00000000-0000-0000-0000-${name.length.toString().padStart(12, '0')}`,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    // What the old controller left when its CRD (and with it every Account) was removed. NB:
    // the garbage collector cannot resolve an owner whose kind is gone, so it never takes these.
    const configMap = (namespace: string, name: string, meta: Record<string, unknown>) =>
      core.createNamespacedConfigMap({
        namespace,
        body: { metadata: { name, ...meta }, data: { models: '{}' } },
      });
    const secret = (namespace: string, name: string, meta: Record<string, unknown>) =>
      core.createNamespacedSecret({
        namespace,
        body: { metadata: { name, ...meta }, type: 'Opaque', data: { k: 'dg==' } },
      });
    await configMap(apps, 'odh-nim-account-cm', ownedBy(LEGACY.defaultAccountName));
    await secret(apps, 'odh-nim-account-pull', ownedBy(LEGACY.defaultAccountName));
    await configMap(project, 'team-cm', ownedBy('team'));
    await secret(project, 'team-pull', ownedBy('team'));
    await core.createNamespacedPod({
      namespace: project,
      body: {
        metadata: { name: 'model-0' },
        spec: {
          containers: [{ name: 'model', image: 'example.com/model:1' }],
          imagePullSecrets: [{ name: 'team-pull' }],
        },
      },
    });
    // Not the old design's: owned by an Account but never labelled, or labelled but not owned.
    const { ownerReferences } = ownedBy('team');
    await configMap(project, 'team-notes', { ownerReferences });
    await configMap(apps, 'other-cm', { labels: { [LABELS.managed]: 'true' } });
    const untouched = [
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: project, name: 'team-notes' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: apps, name: 'other-cm' },
    ];
    const before = await Promise.all(untouched.map((key) => readObject(kc, key)));

    const report = await cleanup({ kubeConfig: kc, applicationsNamespace: apps });
    expect(report.failed).toBe(false);
    const gone = (namespace: string, name: string) =>
      `owned by Account ${namespace}/${name}, which no longer exists`;
    expect(report.entries).toEqual([
      {
        kind: 'Secret',
        namespace: apps,
        name: 'odh-nim-account-pull',
        status: 'deleted',
        reasons: [gone(apps, LEGACY.defaultAccountName)],
        changes: [],
      },
      {
        kind: 'ConfigMap',
        namespace: apps,
        name: 'odh-nim-account-cm',
        status: 'deleted',
        reasons: [gone(apps, LEGACY.defaultAccountName)],
        changes: [],
      },
      {
        kind: 'ConfigMap',
        namespace: project,
        name: 'team-cm',
        status: 'deleted',
        reasons: [gone(project, 'team')],
        changes: [],
      },
      {
        kind: 'Secret',
        namespace: project,
        name: 'team-pull',
        status: 'kept',
        reasons: [`in use by Pod ${project}/model-0`, gone(project, 'team')],
        changes: [`remove ownerReference to Account ${project}/team`],
        stored: { 'metadata.ownerReferences': [] },
      },
    ]);
    for (const [namespace, name] of [
      [apps, 'odh-nim-account-cm'],
      [project, 'team-cm'],
    ] as const) {
      expect(
        await readObject(kc, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name }),
      ).toBeUndefined();
    }
    const kept = await readObject(kc, {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: project,
      name: 'team-pull',
    });
    expect((kept?.['metadata'] as Record<string, unknown>)['ownerReferences']).toBeUndefined();
    expect(await Promise.all(untouched.map((key) => readObject(kc, key)))).toEqual(before);
    expect((await cleanup({ kubeConfig: kc, applicationsNamespace: apps })).nothingToDo).toBe(true);
  });

  it('removes an Account stuck on its finalizer; keeps its Secret a Pod uses, unowned', async () => {
    await plane.installCRDs([ACCOUNT_CRD, TEMPLATE_CRD]);
    const apps = await createTestNamespace(kc, 'nim-apps');
    const project = await createTestNamespace(kc, 'project');
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const account = await objects.create({
      apiVersion: ACCOUNT_API_VERSION,
      kind: 'Account',
      metadata: { name: 'team-account', namespace: project, finalizers: [LEGACY.accountFinalizer] },
      spec: { apiKeySecret: { name: 'team-key' } },
    } as KubernetesObject);
    const owner = {
      apiVersion: ACCOUNT_API_VERSION,
      kind: 'Account',
      name: 'team-account',
      uid: account.metadata?.uid ?? '',
      controller: true,
      blockOwnerDeletion: true,
    };
    const secretKey: ObjectKey = {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: project,
      name: 'team-account-pull',
    };
    await kc.makeApiClient(CoreV1Api).createNamespacedSecret({
      namespace: project,
      body: {
        metadata: { name: secretKey.name, ownerReferences: [owner] },
        type: 'Opaque',
        data: { token: Buffer.from('nvapi-test-team').toString('base64') },
      },
    });
    await kc.makeApiClient(CoreV1Api).createNamespacedPod({
      namespace: project,
      body: {
        metadata: { name: 'model-0' },
        spec: {
          containers: [
            {
              name: 'model',
              image: 'example.com/model:1',
              env: [
                {
                  name: 'TOKEN',
                  valueFrom: { secretKeyRef: { name: secretKey.name, key: 'token' } },
                },
              ],
            },
          ],
        },
      },
    });
    // Someone deleted the Account after odh-model-controller went: its finalizer holds it.
    await kc.makeApiClient(CustomObjectsApi).deleteNamespacedCustomObject({
      ...API.account,
      namespace: project,
      name: 'team-account',
    });
    const accountKey: ObjectKey = {
      apiVersion: ACCOUNT_API_VERSION,
      kind: 'Account',
      namespace: project,
      name: 'team-account',
    };
    expect(await readObject(kc, accountKey)).toMatchObject({
      metadata: { deletionTimestamp: expect.any(String), finalizers: [LEGACY.accountFinalizer] },
    });

    const report = await cleanup({
      kubeConfig: kc,
      applicationsNamespace: apps,
      keepAccountCrd: true,
    });
    expect(report.failed).toBe(false);
    expect(report.entries).toEqual([
      {
        kind: 'Account',
        namespace: project,
        name: 'team-account',
        status: 'deleted',
        reasons: ['Account of the old design, stuck in deletion on its finalizer'],
        changes: [`remove finalizer ${LEGACY.accountFinalizer}`],
      },
      {
        kind: 'Secret',
        namespace: project,
        name: secretKey.name,
        status: 'kept',
        reasons: [`in use by Pod ${project}/model-0`, `owned by Account ${project}/team-account`],
        changes: [`remove ownerReference to Account ${project}/team-account`],
        stored: { 'metadata.ownerReferences': [] },
      },
      {
        kind: 'CustomResourceDefinition',
        name: LEGACY.accountCrd,
        status: 'kept',
        reasons: ['kept as asked (--keep-account-crd)'],
        changes: [],
      },
    ]);
    expect(await readObject(kc, accountKey)).toBeUndefined();
    const secret = (await readObject(kc, secretKey)) as { metadata: Record<string, unknown> };
    expect(secret.metadata['ownerReferences']).toBeUndefined();
    expect(
      await readObject(kc, {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: LEGACY.accountCrd,
      }),
    ).toBeDefined();

    // Without the flag, the CRD goes now that no Account is left.
    const crdRun = await cleanup({ kubeConfig: kc, applicationsNamespace: apps });
    expect(crdRun.entries.map((e) => [e.kind, e.status])).toEqual([
      ['CustomResourceDefinition', 'deleted'],
    ]);
    await waitFor(
      'the Account CRD to be gone',
      async () =>
        !(await readObject(kc, {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          name: LEGACY.accountCrd,
        })),
    );
  });
  it('carries the intent where the cluster serves DataScienceCluster v1 only', async () => {
    const apps = await createTestNamespace(kc, 'nim-apps');
    const objects = KubernetesObjectApi.makeApiClient(kc);
    await objects.create(buildOldDataScienceCluster({ version: 'v1', appliedWithKubectl: false }));
    const report = await cleanup({ kubeConfig: kc, applicationsNamespace: apps });
    expect(report.failed).toBe(false);
    expect(report.entries.map((e) => [e.kind, e.status, e.stored])).toEqual([
      [
        'OdhDashboardConfig',
        'changed',
        {
          'spec.dashboardConfig.disableNIMModelServing': true,
          'spec.nimConfig.disableKeyValidation': true,
        },
      ],
      ['DataScienceCluster', 'kept', undefined],
    ]);
    expect(report.entries[1]?.reasons[0]).toContain(
      `the served schema (${API.dataScienceCluster.group}/v1) still defines it`,
    );
    const dashboard = await readObject(kc, {
      apiVersion: `${API.dashboardConfig.group}/${API.dashboardConfig.version}`,
      kind: 'OdhDashboardConfig',
      namespace: apps,
      name: DASHBOARD_CONFIG_NAME,
    });
    expect(dashboard?.['spec']).toEqual({
      dashboardConfig: { disableNIMModelServing: true },
      nimConfig: { disableKeyValidation: true },
    });
    expect((await cleanup({ kubeConfig: kc, applicationsNamespace: apps })).nothingToDo).toBe(true);
    await kc.makeApiClient(CustomObjectsApi).deleteClusterCustomObject({
      group: API.dataScienceCluster.group,
      version: 'v1',
      plural: API.dataScienceCluster.plural,
      name: DSC_NAME,
    });
  });
});
