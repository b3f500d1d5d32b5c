import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  AuthenticationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
  VersionApi,
  type KubeConfig,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  createTestNamespace,
  grantNamespaceAccess,
  startControlPlane,
  testCrdPath,
} from '@odh-nim/testkit';
import {
  adminKubeConfig,
  controlPlaneInfo,
  newUserKubeConfig,
  userKubeConfig,
  userToken,
} from '@odh-nim/testkit/vitest';

async function whoami(kc: KubeConfig): Promise<{ username?: string; groups?: string[] }> {
  const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  return review.status?.userInfo ?? {};
}

async function createSecret(kc: KubeConfig, namespace: string): Promise<void> {
  await kc.makeApiClient(CoreV1Api).createNamespacedSecret({
    namespace,
    body: {
      metadata: { name: 'nvidia-nim-secrets' },
      type: 'Opaque',
      stringData: { NGC_API_KEY: 'nvapi-test' },
    },
  });
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof ApiException) return error.code;
    throw error;
  }
}

describe('shared control plane', () => {
  it('serves the pinned Kubernetes version', async () => {
    const version = await adminKubeConfig().makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe(controlPlaneInfo().versions.kubernetes);
    expect(controlPlaneInfo().server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('gives each test its own namespace', async () => {
    const kc = adminKubeConfig();
    const a = await createTestNamespace(kc, 'ns-per-test');
    const b = await createTestNamespace(kc, 'ns-per-test');
    expect(a).not.toBe(b);
    const core = kc.makeApiClient(CoreV1Api);
    for (const name of [a, b])
      expect((await core.readNamespace({ name })).status?.phase).toBe('Active');
  });

  it('authenticates token users and client-certificate users', async () => {
    expect(await whoami(userKubeConfig('alice'))).toMatchObject({
      username: 'alice',
      groups: expect.arrayContaining(['odh-nim-testers', 'system:authenticated']),
    });
    expect(userToken('alice')).toMatch(/^[0-9a-f]{64}$/);
    expect(await whoami(newUserKubeConfig({ name: 'carol', groups: ['team-c'] }))).toMatchObject({
      username: 'carol',
      groups: expect.arrayContaining(['team-c', 'system:authenticated']),
    });
  });

  it('enforces RBAC: view cannot create a Secret, edit can', async () => {
    const admin = adminKubeConfig();
    const namespace = await createTestNamespace(admin, 'rbac');
    await grantNamespaceAccess(admin, { namespace, user: 'viewer', role: 'view' });
    await grantNamespaceAccess(admin, { namespace, user: 'alice', role: 'edit' });

    const viewer = userKubeConfig('viewer');
    // view is real (aggregated rules filled in), not an empty role...
    expect(
      await statusOf(viewer.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace })),
    ).toBe(200);
    // ...but it does not allow writes, nor reading Secrets.
    expect(await statusOf(createSecret(viewer, namespace))).toBe(403);
    expect(
      await statusOf(viewer.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace })),
    ).toBe(403);

    await createSecret(userKubeConfig('alice'), namespace);
    // Rights stop at the namespace.
    const other = await createTestNamespace(admin, 'rbac-other');
    expect(await statusOf(createSecret(userKubeConfig('alice'), other))).toBe(403);
    // edit and view cover KServe objects too, as KServe's aggregated roles do on a cluster.
    const listRuntimes = (kc: KubeConfig): Promise<unknown> =>
      kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
        group: 'serving.kserve.io',
        version: 'v1alpha1',
        namespace,
        plural: 'servingruntimes',
      });
    expect(await statusOf(listRuntimes(viewer))).toBe(200);
    const createRuntime = (kc: KubeConfig): Promise<unknown> =>
      kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
        group: 'serving.kserve.io',
        version: 'v1alpha1',
        namespace,
        plural: 'servingruntimes',
        body: {
          apiVersion: 'serving.kserve.io/v1alpha1',
          kind: 'ServingRuntime',
          metadata: { name: 'rt' },
          spec: { containers: [{ name: 'kserve-container', image: 'x' }] },
        },
      });
    expect(await statusOf(createRuntime(viewer))).toBe(403);
    expect(await statusOf(createRuntime(userKubeConfig('alice')))).toBe(200);
    // bob got nothing.
    expect(
      await statusOf(
        userKubeConfig('bob').makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace }),
      ),
    ).toBe(403);
  });

  it('serves the test CRDs and keeps Template objects whole', async () => {
    const kc = adminKubeConfig();
    const namespace = await createTestNamespace(kc, 'crds');
    const custom = kc.makeApiClient(CustomObjectsApi);
    const servingRuntime = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: {
        name: 'nvidia-nim-runtime',
        annotations: { 'runtimes.opendatahub.io/nvidia-nim': 'true' },
      },
      spec: {
        multiModel: false,
        protocolVersions: ['grpc-v2', 'v2'],
        supportedModelFormats: [{ name: 'replace-me' }],
        containers: [
          {
            name: 'kserve-container',
            image: '',
            ports: [{ containerPort: 8000, protocol: 'TCP' }],
            resources: { limits: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': 2 } },
            livenessProbe: { httpGet: { path: '/v1/health/live', port: 8000 } },
          },
        ],
        imagePullSecrets: [{ name: 'nvidia-nim-image-pull' }],
      },
    };
    await custom.createNamespacedCustomObject({
      group: 'template.openshift.io',
      version: 'v1',
      namespace,
      plural: 'templates',
      body: {
        apiVersion: 'template.openshift.io/v1',
        kind: 'Template',
        metadata: { name: 'nvidia-nim-runtime-http' },
        objects: [servingRuntime],
        parameters: [{ name: 'NAME', required: true }],
      },
    });
    const template = (await custom.getNamespacedCustomObject({
      group: 'template.openshift.io',
      version: 'v1',
      namespace,
      plural: 'templates',
      name: 'nvidia-nim-runtime-http',
    })) as { objects: unknown[] };
    expect(template.objects[0]).toEqual(servingRuntime);

    await custom.createNamespacedCustomObject({
      group: 'serving.kserve.io',
      version: 'v1alpha1',
      namespace,
      plural: 'servingruntimes',
      body: servingRuntime,
    });
    expect(
      await statusOf(
        custom.createNamespacedCustomObject({
          group: 'serving.kserve.io',
          version: 'v1beta1',
          namespace,
          plural: 'inferenceservices',
          body: {
            apiVersion: 'serving.kserve.io/v1beta1',
            kind: 'InferenceService',
            metadata: { name: 'x' },
            spec: {},
          },
        }),
      ),
    ).toBe(422); // spec.predictor is required
  });

  it('installs CRDs whole: untyped fields are preserved, defaults applied and enums enforced', async () => {
    // Regression: CRDs passed to the typed client as plain YAML lost every
    // `x-kubernetes-preserve-unknown-fields`, `default` and `enum`, so the apiserver pruned what
    // tests sent. Both CRD sets hold these three kinds as used here.
    const kc = adminKubeConfig();
    const custom = kc.makeApiClient(CustomObjectsApi);
    const namespace = await createTestNamespace(kc, 'crds-whole');
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, extra: [1] };
    const template = (await custom.createNamespacedCustomObject({
      group: 'template.openshift.io',
      version: 'v1',
      plural: 'templates',
      namespace,
      body: {
        apiVersion: 'template.openshift.io/v1',
        kind: 'Template',
        metadata: { name: 'whole' },
        objects: [object],
      },
    })) as { objects: unknown };
    expect(template.objects).toEqual([object]);

    const dsc = {
      group: 'datasciencecluster.opendatahub.io',
      version: 'v2',
      plural: 'datascienceclusters',
    };
    const name = `dsc-${Date.now().toString(36)}`;
    const created = (await custom.createClusterCustomObject({
      ...dsc,
      body: {
        apiVersion: 'datasciencecluster.opendatahub.io/v2',
        kind: 'DataScienceCluster',
        metadata: { name },
        spec: { components: { kserve: { managementState: 'Managed' } } },
      },
    })) as { spec: unknown };
    expect(created.spec).toMatchObject({
      components: {
        kserve: { managementState: 'Managed', rawDeploymentServiceConfig: 'Headless' },
      },
    });
    expect(
      await statusOf(
        custom.createClusterCustomObject({
          ...dsc,
          body: {
            apiVersion: 'datasciencecluster.opendatahub.io/v2',
            kind: 'DataScienceCluster',
            metadata: { name: `${name}-bad` },
            spec: { components: { kserve: { managementState: 'Sometimes' } } },
          },
        }),
      ),
    ).toBe(422);
  });
});

describe('private control plane', () => {
  it('starts with a subset of CRDs, installs and uninstalls one, and stops cleanly', async () => {
    const plane = await startControlPlane({
      crds: [testCrdPath('dscinitializations.dscinitialization.opendatahub.io')],
      users: [{ name: 'dave', groups: ['g1'] }],
    });
    const dir = plane.dir;
    try {
      const kc = plane.adminKubeConfig();
      const custom = kc.makeApiClient(CustomObjectsApi);
      const listAccounts = (): Promise<unknown> =>
        custom.listClusterCustomObject({
          group: 'nim.opendatahub.io',
          version: 'v1',
          plural: 'accounts',
        });
      expect(await statusOf(listAccounts())).toBe(404);

      await plane.installCRDs([testCrdPath('accounts.nim.opendatahub.io')]);
      expect(await statusOf(listAccounts())).toBe(200);
      await plane.uninstallCRDs(['accounts.nim.opendatahub.io']);
      expect(await statusOf(listAccounts())).toBe(404);

      expect(await whoami(plane.addUser({ name: 'dave' }))).toMatchObject({ username: 'dave' });
      expect(await whoami(plane.addUser({ name: 'erin', groups: ['g2'] }))).toMatchObject({
        username: 'erin',
        groups: expect.arrayContaining(['g2']),
      });
      expect(plane.kubeconfigYaml('erin')).toContain('client-certificate-data');
    } finally {
      await plane.stop();
    }
    expect(existsSync(dir)).toBe(false);
  }, 180_000);
});

describe('failed start', () => {
  it('of kube-controller-manager rolls back the apiserver and etcd too', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'cp-fail-kcm-'));
    try {
      const error = await startControlPlane({
        tmpDir: parent,
        kubeControllerManagerFlags: { 'no-such-flag': 'x' },
        onProgress: () => undefined,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'process-failed',
        message: /kube-controller-manager.*no-such-flag/s,
      });
      expect(await readdir(parent)).toEqual([]);
      expect(execFileSync('ps', ['-eo', 'args']).toString()).not.toContain(parent);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('without controllers keeps envtest behaviour: roles aggregated by the harness', async () => {
    const plane = await startControlPlane({ controllers: false, onProgress: () => undefined });
    try {
      const core = plane.adminKubeConfig().makeApiClient(CoreV1Api);
      // No service-account controller: the default account never appears.
      const sa = await core
        .readNamespacedServiceAccount({ name: 'default', namespace: 'default' })
        .then(
          () => 200,
          (e: unknown) => (e instanceof ApiException ? e.code : 0),
        );
      expect(sa).toBe(404);
      const edit = await plane
        .adminKubeConfig()
        .makeApiClient(RbacAuthorizationV1Api)
        .readClusterRole({ name: 'edit' });
      expect(edit.rules?.length).toBeGreaterThan(0);
    } finally {
      await plane.stop();
    }
  });

  it('reports the apiserver log and rolls back etcd and the temporary files', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'cp-fail-'));
    try {
      const error = await startControlPlane({
        tmpDir: parent,
        kubeApiServerFlags: { 'no-such-flag': 'x' },
        onProgress: () => undefined,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'process-failed',
        message: /kube-apiserver.*no-such-flag/s,
      });
      expect(await readdir(parent)).toEqual([]);
      expect(execFileSync('ps', ['-eo', 'args']).toString()).not.toContain(parent);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
