import { ApiException, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  ANNOTATIONS,
  API,
  decodeBase64,
  LABELS,
  NIM_PULL_SECRET_NAME,
  NIM_SECRET_NAME,
} from '@odh-nim/contract';

import {
  apiKeyPath,
  deploymentPath,
  deploymentsPath,
  deleteResponseSchema,
  deployResponseSchema,
  deploymentsResponseSchema,
  rotateKeyResponseSchema,
} from '../src/api/types.js';
import {
  createProject,
  deployBody,
  findLeaks,
  GOOD_KEY,
  listProjectObjects,
  OTHER_GOOD_KEY,
  startHarness,
  type Harness,
} from './harness.js';

interface Obj {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

describe('deploy, list, delete and key rotation', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    expect(findLeaks(harness)).toEqual([]);
    await harness.close();
  });

  const getObject = async (
    resource: (typeof API)[keyof typeof API],
    namespace: string,
    name: string,
  ): Promise<Obj> =>
    (await harness.custom.getNamespacedCustomObject({ ...resource, namespace, name })) as Obj;

  it('creates the five objects of SPEC 2 with their names, labels, annotations and references', async () => {
    const ns = await createProject(harness);
    const response = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({ externalRoute: true, tokenAuth: true }),
    });
    expect(response.status, response.text).toBe(201);
    const result = deployResponseSchema.parse(response.body);
    expect(result.keyValidation).toBe('valid');
    expect(result.objects).toEqual([
      { kind: 'Secret', name: NIM_SECRET_NAME, action: 'created' },
      { kind: 'Secret', name: NIM_PULL_SECRET_NAME, action: 'created' },
      { kind: 'PersistentVolumeClaim', name: 'nim-pvc-llama-8b', action: 'created' },
      { kind: 'ServingRuntime', name: 'llama-8b', action: 'created' },
      { kind: 'InferenceService', name: 'llama-8b', action: 'created' },
    ]);
    expect(result.deployment).toMatchObject({
      name: 'llama-8b',
      namespace: ns,
      displayName: 'Llama 3.1 8B',
      modelName: 'llama-3.1-8b-instruct',
      tag: '1.8.4',
      protocol: 'http',
      externalRoute: true,
      tokenAuth: true,
      status: { phase: 'Pending' },
      storage: { claimName: 'nim-pvc-llama-8b', created: true },
    });
    expect(harness.ngc.requests.filter((r) => r.route === 'key-validation')).toHaveLength(1);

    // Secrets (SPEC 2.3).
    const keySecret = await harness.core.readNamespacedSecret({
      namespace: ns,
      name: NIM_SECRET_NAME,
    });
    expect(keySecret.type).toBe('Opaque');
    expect(keySecret.metadata?.labels?.[LABELS.managed]).toBe('true');
    expect(decodeBase64(keySecret.data?.NGC_API_KEY ?? '')).toBe(GOOD_KEY);
    expect(decodeBase64(keySecret.data?.api_key ?? '')).toBe(GOOD_KEY);
    const pull = await harness.core.readNamespacedSecret({
      namespace: ns,
      name: NIM_PULL_SECRET_NAME,
    });
    expect(pull.type).toBe('kubernetes.io/dockerconfigjson');
    expect(pull.metadata?.labels?.[LABELS.managed]).toBe('true');
    expect(JSON.parse(decodeBase64(pull.data?.['.dockerconfigjson'] ?? ''))).toEqual({
      auths: {
        'nvcr.io': {
          username: '$oauthtoken',
          password: GOOD_KEY,
          auth: Buffer.from(`$oauthtoken:${GOOD_KEY}`).toString('base64'),
        },
      },
    });

    // PVC.
    const pvc = await harness.core.readNamespacedPersistentVolumeClaim({
      namespace: ns,
      name: 'nim-pvc-llama-8b',
    });
    expect(pvc.spec?.resources?.requests?.storage).toBe('50Gi');
    expect(pvc.spec?.accessModes).toEqual(['ReadWriteOnce']);

    // ServingRuntime (SPEC 2.4).
    const runtime = await getObject(API.servingRuntime, ns, 'llama-8b');
    expect(runtime.metadata.labels).toMatchObject({ [LABELS.dashboard]: 'true' });
    expect(runtime.metadata.annotations).toMatchObject({
      [ANNOTATIONS.templateName]: 'nvidia-nim-runtime-http',
      [ANNOTATIONS.templateDisplayName]: 'NVIDIA NIM serving runtime (HTTP)',
      [ANNOTATIONS.displayName]: 'Llama 3.1 8B',
      [ANNOTATIONS.nimRuntime]: 'true',
      [ANNOTATIONS.createdPvc]: 'nim-pvc-llama-8b',
    });
    const spec = runtime.spec as {
      supportedModelFormats: unknown[];
      imagePullSecrets: { name: string }[];
      volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[];
      containers: {
        name: string;
        image: string;
        env: { name: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
        resources: unknown;
      }[];
    };
    expect(spec.supportedModelFormats).toEqual([
      { name: 'llama-3.1-8b-instruct', version: '1.8.4', autoSelect: false, priority: 1 },
    ]);
    expect(spec.imagePullSecrets).toEqual([{ name: NIM_PULL_SECRET_NAME }]);
    expect(spec.volumes.find((v) => v.name === 'nim-pvc')?.persistentVolumeClaim).toEqual({
      claimName: 'nim-pvc-llama-8b',
    });
    const container = spec.containers.find((c) => c.name === 'kserve-container');
    expect(container?.image).toBe('nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4');
    expect(container?.env.find((e) => e.name === 'NGC_API_KEY')?.valueFrom).toEqual({
      secretKeyRef: { name: NIM_SECRET_NAME, key: 'NGC_API_KEY' },
    });
    const resources = {
      requests: { cpu: '2', memory: '16Gi', 'nvidia.com/gpu': '1' },
      limits: { cpu: '4', memory: '32Gi', 'nvidia.com/gpu': '1' },
    };
    expect(container?.resources).toEqual(resources);

    // InferenceService (SPEC 2.4).
    const isvc = await getObject(API.inferenceService, ns, 'llama-8b');
    expect(isvc.metadata.labels).toEqual({
      [LABELS.dashboard]: 'true',
      [LABELS.visibility]: 'exposed',
    });
    expect(isvc.metadata.annotations).toMatchObject({
      [ANNOTATIONS.displayName]: 'Llama 3.1 8B',
      [ANNOTATIONS.deploymentMode]: 'RawDeployment',
      [ANNOTATIONS.enableAuth]: 'true',
    });
    expect(isvc.spec.predictor).toEqual({
      minReplicas: 1,
      maxReplicas: 1,
      model: {
        modelFormat: { name: 'llama-3.1-8b-instruct' },
        runtime: 'llama-8b',
        resources,
      },
    });

    // List, with status derived from the InferenceService.
    const list = deploymentsResponseSchema.parse(
      (await harness.call({ url: deploymentsPath(ns) })).body,
    );
    expect(list.deployments.map((d) => [d.name, d.status.phase])).toEqual([
      ['llama-8b', 'Pending'],
    ]);

    await harness.custom.patchNamespacedCustomObjectStatus(
      {
        ...API.inferenceService,
        namespace: ns,
        name: 'llama-8b',
        body: {
          status: {
            url: 'https://llama-8b.example.com',
            address: { url: 'http://llama-8b-predictor.ns.svc.cluster.local' },
            conditions: [{ type: 'Ready', status: 'True' }],
          },
        },
      },
      mergePatch,
    );
    const ready = deploymentsResponseSchema.parse(
      (await harness.call({ url: deploymentsPath(ns) })).body,
    );
    expect(ready.deployments[0]).toMatchObject({
      status: { phase: 'Ready' },
      url: 'https://llama-8b.example.com',
      internalUrl: 'http://llama-8b-predictor.ns.svc.cluster.local',
    });

    // Delete: the last deployment takes the PVC it created and both secrets with it.
    const deleted = await harness.call({ method: 'DELETE', url: deploymentPath(ns, 'llama-8b') });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleteResponseSchema.parse(deleted.body).deleted).toEqual([
      { kind: 'InferenceService', name: 'llama-8b' },
      { kind: 'ServingRuntime', name: 'llama-8b' },
      { kind: 'PersistentVolumeClaim', name: 'nim-pvc-llama-8b' },
      { kind: 'Secret', name: NIM_SECRET_NAME },
      { kind: 'Secret', name: NIM_PULL_SECRET_NAME },
    ]);
    const left = await listProjectObjects(harness, ns);
    expect(left.inferenceServices).toEqual([]);
    expect(left.runtimes).toEqual([]);
    expect(left.secrets).not.toContain(NIM_SECRET_NAME);
    expect(left.secrets).not.toContain(NIM_PULL_SECRET_NAME);
    // Gone for real, not left Terminating: kube-controller-manager's pvc-protection controller
    // releases it once no pod mounts it, as on a cluster.
    await vi.waitFor(
      async () => {
        const status = await harness.core
          .readNamespacedPersistentVolumeClaim({ namespace: ns, name: 'nim-pvc-llama-8b' })
          .then(
            () => 200,
            (error: unknown) => (error instanceof ApiException ? error.code : 0),
          );
        expect(status).toBe(404);
      },
      { timeout: 30_000, interval: 200 },
    );

    expect(
      (await harness.call({ method: 'DELETE', url: deploymentPath(ns, 'llama-8b') })).status,
    ).toBe(404);
  });

  it('shares one key per project: a second deployment reuses the secrets, the last delete removes them', async () => {
    const ns = await createProject(harness);
    const first = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({ name: 'first' }),
    });
    expect(first.status, first.text).toBe(201);
    const secretBefore = await harness.core.readNamespacedSecret({
      namespace: ns,
      name: NIM_SECRET_NAME,
    });

    const keyStatus = await harness.call({ url: apiKeyPath(ns) });
    expect(keyStatus.body).toEqual({ exists: true, complete: true });

    const second = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({
        name: 'second',
        apiKey: undefined,
        useExistingKey: true,
        protocol: 'grpc',
        storage: { mode: 'existing', claimName: 'nim-pvc-first', subPath: 'second' },
      }),
    });
    expect(second.status, second.text).toBe(201);
    const result = deployResponseSchema.parse(second.body);
    expect(result.keyValidation).toBe('existing-key');
    expect(result.objects).toEqual([
      { kind: 'Secret', name: NIM_SECRET_NAME, action: 'reused' },
      { kind: 'Secret', name: NIM_PULL_SECRET_NAME, action: 'reused' },
      { kind: 'PersistentVolumeClaim', name: 'nim-pvc-first', action: 'reused' },
      { kind: 'ServingRuntime', name: 'second', action: 'created' },
      { kind: 'InferenceService', name: 'second', action: 'created' },
    ]);
    expect(result.deployment).toMatchObject({
      protocol: 'grpc',
      storage: { claimName: 'nim-pvc-first', subPath: 'second', created: false },
    });
    const secretAfter = await harness.core.readNamespacedSecret({
      namespace: ns,
      name: NIM_SECRET_NAME,
    });
    expect(secretAfter.metadata?.resourceVersion).toBe(secretBefore.metadata?.resourceVersion);

    // The same key sent again leaves the secrets untouched.
    const third = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({ name: 'third', storage: { mode: 'new', size: '20Gi' } }),
    });
    expect(third.status, third.text).toBe(201);
    expect(deployResponseSchema.parse(third.body).objects.slice(0, 2)).toEqual([
      { kind: 'Secret', name: NIM_SECRET_NAME, action: 'unchanged' },
      { kind: 'Secret', name: NIM_PULL_SECRET_NAME, action: 'unchanged' },
    ]);

    const list = deploymentsResponseSchema.parse(
      (await harness.call({ url: deploymentsPath(ns) })).body,
    );
    expect(list.deployments.map((d) => d.name)).toEqual(['first', 'second', 'third']);

    // Deleting "first" keeps its PVC (mounted by "second") and the secrets.
    const deleteFirst = deleteResponseSchema.parse(
      (await harness.call({ method: 'DELETE', url: deploymentPath(ns, 'first') })).body,
    );
    expect(deleteFirst.deleted).toEqual([
      { kind: 'InferenceService', name: 'first' },
      { kind: 'ServingRuntime', name: 'first' },
    ]);
    expect(deleteFirst.kept.map((k) => [k.kind, k.name])).toEqual([
      ['PersistentVolumeClaim', 'nim-pvc-first'],
      ['Secret', NIM_SECRET_NAME],
      ['Secret', NIM_PULL_SECRET_NAME],
    ]);
    expect(deleteFirst.kept[0]?.reason).toContain('second');

    // Deleting "second" keeps the PVC it did not create.
    const deleteSecond = deleteResponseSchema.parse(
      (await harness.call({ method: 'DELETE', url: deploymentPath(ns, 'second') })).body,
    );
    expect(deleteSecond.kept.map((k) => [k.kind, k.name])).toEqual([
      ['PersistentVolumeClaim', 'nim-pvc-first'],
      ['Secret', NIM_SECRET_NAME],
      ['Secret', NIM_PULL_SECRET_NAME],
    ]);
    expect((await listProjectObjects(harness, ns)).secrets).toContain(NIM_SECRET_NAME);

    // The last one takes the secrets.
    const deleteThird = deleteResponseSchema.parse(
      (await harness.call({ method: 'DELETE', url: deploymentPath(ns, 'third') })).body,
    );
    expect(deleteThird.deleted.map((d) => d.name)).toEqual([
      'third',
      'third',
      'nim-pvc-third',
      NIM_SECRET_NAME,
      NIM_PULL_SECRET_NAME,
    ]);
    expect(await harness.call({ url: apiKeyPath(ns) }).then((r) => r.body)).toEqual({
      exists: false,
      complete: false,
    });
  });

  it('keeps a NIM secret that a runtime of another kind still uses after the last NIM goes', async () => {
    const ns = await createProject(harness);
    const deployed = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({ name: 'only' }),
    });
    expect(deployed.status, deployed.text).toBe(201);
    // A hand-made runtime (not a NIM one) that reads the project's key.
    await harness.custom.createNamespacedCustomObject({
      ...API.servingRuntime,
      namespace: ns,
      body: {
        apiVersion: 'serving.kserve.io/v1alpha1',
        kind: 'ServingRuntime',
        metadata: { name: 'hand-made', namespace: ns },
        spec: {
          containers: [
            {
              name: 'kserve-container',
              image: 'example.com/custom:1',
              env: [
                {
                  name: 'NGC_API_KEY',
                  valueFrom: { secretKeyRef: { name: NIM_SECRET_NAME, key: 'NGC_API_KEY' } },
                },
              ],
            },
          ],
        },
      },
    });

    const deleted = deleteResponseSchema.parse(
      (await harness.call({ method: 'DELETE', url: deploymentPath(ns, 'only') })).body,
    );
    expect(deleted.kept).toEqual([
      { kind: 'Secret', name: NIM_SECRET_NAME, reason: 'still used by ServingRuntime hand-made' },
    ]);
    expect(deleted.deleted).toContainEqual({ kind: 'Secret', name: NIM_PULL_SECRET_NAME });
    const left = await listProjectObjects(harness, ns);
    expect(left.secrets).toContain(NIM_SECRET_NAME);
    expect(left.secrets).not.toContain(NIM_PULL_SECRET_NAME);
  });

  it('rotates the key: both secrets updated, every NIM deployment restarted', async () => {
    const ns = await createProject(harness);
    for (const name of ['alpha', 'beta']) {
      const response = await harness.call({
        method: 'POST',
        url: deploymentsPath(ns),
        body: deployBody({ name }),
      });
      expect(response.status, response.text).toBe(201);
    }
    // A ServingRuntime that is not NIM is left alone.
    await harness.custom.createNamespacedCustomObject({
      ...API.servingRuntime,
      namespace: ns,
      body: {
        apiVersion: 'serving.kserve.io/v1alpha1',
        kind: 'ServingRuntime',
        metadata: { name: 'vllm', namespace: ns },
        spec: { containers: [{ name: 'kserve-container', image: 'vllm' }] },
      },
    });
    await harness.custom.createNamespacedCustomObject({
      ...API.inferenceService,
      namespace: ns,
      body: {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'vllm', namespace: ns },
        spec: {
          predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm' } },
        },
      },
    });

    const response = await harness.call({
      method: 'PUT',
      url: apiKeyPath(ns),
      body: { apiKey: OTHER_GOOD_KEY },
    });
    expect(response.status, response.text).toBe(200);
    const result = rotateKeyResponseSchema.parse(response.body);
    expect(result).toEqual({
      secrets: [
        { kind: 'Secret', name: NIM_SECRET_NAME, action: 'updated' },
        { kind: 'Secret', name: NIM_PULL_SECRET_NAME, action: 'updated' },
      ],
      restarted: ['alpha', 'beta'],
      failed: [],
      keyValidation: 'valid',
    });
    const keySecret = await harness.core.readNamespacedSecret({
      namespace: ns,
      name: NIM_SECRET_NAME,
    });
    expect(decodeBase64(keySecret.data?.NGC_API_KEY ?? '')).toBe(OTHER_GOOD_KEY);
    expect(decodeBase64(keySecret.data?.api_key ?? '')).toBe(OTHER_GOOD_KEY);
    const pull = await harness.core.readNamespacedSecret({
      namespace: ns,
      name: NIM_PULL_SECRET_NAME,
    });
    expect(decodeBase64(pull.data?.['.dockerconfigjson'] ?? '')).toContain(OTHER_GOOD_KEY);
    for (const name of ['alpha', 'beta']) {
      const isvc = await getObject(API.inferenceService, ns, name);
      const predictor = isvc.spec.predictor as { annotations?: Record<string, string> };
      expect(Date.parse(predictor.annotations?.[ANNOTATIONS.restartedAt] ?? '')).not.toBeNaN();
    }
    const vllm = await getObject(API.inferenceService, ns, 'vllm');
    const vllmPredictor = vllm.spec.predictor as { annotations?: Record<string, string> };
    expect(vllmPredictor.annotations?.[ANNOTATIONS.restartedAt]).toBeUndefined();

    const rejected = await harness.call({
      method: 'PUT',
      url: apiKeyPath(ns),
      body: { apiKey: 'nvapi-test-rejected' },
    });
    expect(rejected.status).toBe(400);
    expect(rejected.body).toMatchObject({ code: 'invalid-key', field: 'apiKey' });
    const unchanged = await harness.core.readNamespacedSecret({
      namespace: ns,
      name: NIM_SECRET_NAME,
    });
    expect(decodeBase64(unchanged.data?.NGC_API_KEY ?? '')).toBe(OTHER_GOOD_KEY);
  });

  it('refuses a name already taken in the project with 409', async () => {
    const ns = await createProject(harness);
    expect(
      (await harness.call({ method: 'POST', url: deploymentsPath(ns), body: deployBody() })).status,
    ).toBe(201);
    const again = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({ storage: { mode: 'existing', claimName: 'nim-pvc-llama-8b' } }),
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'already-exists',
      field: 'name',
      failedStep: 'validate',
    });
  });

  it('rebuilds a missing pull secret from the stored key', async () => {
    const ns = await createProject(harness);
    expect(
      (await harness.call({ method: 'POST', url: deploymentsPath(ns), body: deployBody() })).status,
    ).toBe(201);
    await harness.core.deleteNamespacedSecret({ namespace: ns, name: NIM_PULL_SECRET_NAME });
    const response = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({
        name: 'again',
        apiKey: undefined,
        useExistingKey: true,
        storage: { mode: 'new', size: '10Gi' },
      }),
    });
    expect(response.status, response.text).toBe(201);
    expect(deployResponseSchema.parse(response.body).objects.slice(0, 2)).toEqual([
      { kind: 'Secret', name: NIM_SECRET_NAME, action: 'unchanged' },
      { kind: 'Secret', name: NIM_PULL_SECRET_NAME, action: 'created' },
    ]);
    const pull = await harness.core.readNamespacedSecret({
      namespace: ns,
      name: NIM_PULL_SECRET_NAME,
    });
    expect(decodeBase64(pull.data?.['.dockerconfigjson'] ?? '')).toContain(GOOD_KEY);
  });

  it('deletes only NIM deployments', async () => {
    const ns = await createProject(harness);
    const create = (resource: (typeof API)['servingRuntime' | 'inferenceService'], body: object) =>
      harness.custom.createNamespacedCustomObject({ ...resource, namespace: ns, body });
    await create(API.servingRuntime, {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm', namespace: ns },
      spec: { containers: [{ name: 'kserve-container', image: 'vllm' }] },
    });
    const isvc = (name: string, model: string) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name, namespace: ns },
      spec: { predictor: { model: { modelFormat: { name: model }, runtime: name } } },
    });
    await create(API.inferenceService, isvc('vllm', 'granite'));
    await create(API.inferenceService, isvc('orphan-other', 'granite'));
    await create(API.inferenceService, isvc('orphan-nim', 'llama-3.1-8b-instruct'));

    for (const name of ['vllm', 'orphan-other']) {
      const response = await harness.call({ method: 'DELETE', url: deploymentPath(ns, name) });
      expect(response.status, name).toBe(404);
      expect(response.body).toMatchObject({ code: 'not-found' });
    }
    const orphan = await harness.call({
      method: 'DELETE',
      url: deploymentPath(ns, 'orphan-nim'),
    });
    expect(orphan.status).toBe(200);
    expect(deleteResponseSchema.parse(orphan.body).deleted).toEqual([
      { kind: 'InferenceService', name: 'orphan-nim' },
    ]);
    expect((await listProjectObjects(harness, ns)).inferenceServices).toEqual([
      'orphan-other',
      'vllm',
    ]);
  });

  it('serves the real HTTP listener on 127.0.0.1', async () => {
    const address = await harness.app.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${address}/api/health`);
    expect(response.status).toBe(200);
  });
});

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
