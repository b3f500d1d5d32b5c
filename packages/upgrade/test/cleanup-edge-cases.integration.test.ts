import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { ANNOTATIONS, API, LEGACY, RUNTIME_TEMPLATE_HTTP } from '@odh-nim/contract';
import {
  createTestNamespace,
  startControlPlane,
  testCrdPath,
  type ControlPlane,
} from '@odh-nim/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cleanup } from '../src/index.js';
import {
  createOldCluster,
  describeKey,
  readObject,
  waitFor,
  type ObjectKey,
} from './fixtures/old-cluster.js';

const ACCOUNT_CRD = testCrdPath(LEGACY.accountCrd);
const TEMPLATE_CRD = testCrdPath('templates.template.openshift.io');
const OTHER_CRDS = [
  'servingruntimes.serving.kserve.io',
  'inferenceservices.serving.kserve.io',
  'datascienceclusters.datasciencecluster.opendatahub.io',
  'dscinitializations.dscinitialization.opendatahub.io',
  'odhdashboardconfigs.opendatahub.io',
].map(testCrdPath);

const ACCOUNT_API_VERSION = `${API.account.group}/${API.account.version}`;

// Cluster-wide effects and CRDs installed mid-file: a control plane of its own, tests in order.
describe('cleanup edge cases', () => {
  let plane: ControlPlane;
  let kc: KubeConfig;

  beforeAll(async () => {
    // Neither the Account CRD nor OpenShift's Template CRD: an OpenDataHub on plain Kubernetes
    // that only ever had the fixed-name objects of the oldest design.
    plane = await startControlPlane({ crds: OTHER_CRDS });
    kc = plane.adminKubeConfig();
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
});
