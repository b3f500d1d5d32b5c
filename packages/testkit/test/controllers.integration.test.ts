// kube-controller-manager runs in the integration project: what a real cluster's controllers
// do to the objects the product writes, the garbage collector above all, happens here too.
import {
  ApiException,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { createTestNamespace } from '@odh-nim/testkit';
import { adminKubeConfig } from '@odh-nim/testkit/vitest';

const GC_DEADLINE_MS = 30_000;

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + GC_DEADLINE_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${GC_DEADLINE_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function isGone(read: () => Promise<unknown>): Promise<true | undefined> {
  try {
    await read();
    return undefined;
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return true;
    throw error;
  }
}

async function createAccount(kc: KubeConfig, namespace: string, name: string): Promise<string> {
  const account = await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    group: 'nim.opendatahub.io',
    version: 'v1',
    namespace,
    plural: 'accounts',
    body: {
      apiVersion: 'nim.opendatahub.io/v1',
      kind: 'Account',
      metadata: { name },
      spec: { apiKeySecret: { name: 'ngc-key' } },
    },
  });
  const uid: unknown = Object(Object(account).metadata).uid;
  if (typeof uid !== 'string') throw new Error('the created Account has no uid');
  return uid;
}

describe('kube-controller-manager', () => {
  it('garbage-collects a ConfigMap owned by an Account once the Account is deleted', async () => {
    const kc = adminKubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const namespace = await createTestNamespace(kc, 'gc');
    const uid = await createAccount(kc, namespace, 'old-account');
    const owner = {
      apiVersion: 'nim.opendatahub.io/v1',
      kind: 'Account',
      name: 'old-account',
      uid,
    };
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'old-account-cm', ownerReferences: [owner] }, data: { a: 'b' } },
    });
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'unowned' }, data: { a: 'b' } },
    });

    await kc.makeApiClient(CustomObjectsApi).deleteNamespacedCustomObject({
      group: 'nim.opendatahub.io',
      version: 'v1',
      namespace,
      plural: 'accounts',
      name: 'old-account',
    });

    await until('the owned ConfigMap to be collected', () =>
      isGone(() => core.readNamespacedConfigMap({ name: 'old-account-cm', namespace })),
    );
    expect((await core.readNamespacedConfigMap({ name: 'unowned', namespace })).data).toEqual({
      a: 'b',
    });
  });

  it('keeps a dependent while one of several owners remains', async () => {
    const kc = adminKubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const namespace = await createTestNamespace(kc, 'gc-owners');
    const owners = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const cm = await core.createNamespacedConfigMap({
          namespace,
          body: { metadata: { name } },
        });
        return { apiVersion: 'v1', kind: 'ConfigMap', name, uid: cm.metadata?.uid ?? '' };
      }),
    );
    await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'shared', ownerReferences: owners }, stringData: { k: 'v' } },
    });

    await core.deleteNamespacedConfigMap({ name: 'a', namespace });
    // Wait for the collector to drop the gone owner from the list: it acted, and kept it.
    const remaining = await until('the collector to drop the deleted owner', async () => {
      const secret = await core.readNamespacedSecret({ name: 'shared', namespace });
      const refs = secret.metadata?.ownerReferences ?? [];
      return refs.length === 1 ? refs : undefined;
    });
    expect(remaining.map((r) => r.name)).toEqual(['b']);

    await core.deleteNamespacedConfigMap({ name: 'b', namespace });
    await until('the last owner to take the secret', () =>
      isGone(() => core.readNamespacedSecret({ name: 'shared', namespace })),
    );
  });

  it('deletes a PVC for real: pvc-protection is added and released', async () => {
    const kc = adminKubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const namespace = await createTestNamespace(kc, 'pvc');
    await core.createNamespacedPersistentVolumeClaim({
      namespace,
      body: {
        metadata: { name: 'cache' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    const protectedPvc = await core.readNamespacedPersistentVolumeClaim({
      name: 'cache',
      namespace,
    });
    expect(protectedPvc.metadata?.finalizers).toContain('kubernetes.io/pvc-protection');

    await core.deleteNamespacedPersistentVolumeClaim({ name: 'cache', namespace });
    await until('the PVC to be gone, not Terminating', () =>
      isGone(() => core.readNamespacedPersistentVolumeClaim({ name: 'cache', namespace })),
    );
  });

  it('terminates a deleted namespace with what is in it', async () => {
    const kc = adminKubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const namespace = await createTestNamespace(kc, 'ns-gone');
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'x' } } });
    await core.deleteNamespace({ name: namespace });
    await until('the namespace to finish terminating', () =>
      isGone(() => core.readNamespace({ name: namespace })),
    );
  });

  it('runs the Deployment and Job controllers, and makes service accounts with tokens', async () => {
    const kc = adminKubeConfig();
    const namespace = await createTestNamespace(kc, 'workloads');
    const core = kc.makeApiClient(CoreV1Api);
    const labels = { app: 'x' };
    const template = {
      metadata: { labels },
      spec: { containers: [{ name: 'c', image: 'localhost/none:v1' }], restartPolicy: 'Never' },
    };
    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: { ...template, spec: { ...template.spec, restartPolicy: 'Always' } },
        },
      },
    });
    await kc.makeApiClient(BatchV1Api).createNamespacedJob({
      namespace,
      body: { metadata: { name: 'once' }, spec: { template: { spec: template.spec } } },
    });

    // No node here (see the cluster project): the pods exist, unscheduled.
    const pods = await until('two Deployment pods and one Job pod', async () => {
      const list = await core.listNamespacedPod({ namespace });
      return list.items.length === 3 ? list.items : undefined;
    });
    expect(pods.map((p) => p.metadata?.ownerReferences?.[0]?.kind).sort()).toEqual([
      'Job',
      'ReplicaSet',
      'ReplicaSet',
    ]);
    // The ServiceAccount admission plugin is on: each pod got the default account's token.
    expect(pods.every((p) => p.spec?.serviceAccountName === 'default')).toBe(true);
    expect(
      pods.every((p) => p.spec?.volumes?.some((v) => v.name.startsWith('kube-api-access-'))),
    ).toBe(true);
    const token = await core.createNamespacedServiceAccountToken({
      name: 'default',
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    expect(token.status?.token).toMatch(/^ey/);
  });
});
