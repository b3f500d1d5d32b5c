import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ANNOTATIONS,
  API,
  decodeBase64,
  LABELS,
  NIM_PULL_SECRET_NAME,
  NIM_SECRET_NAME,
} from '@odh-nim/contract';

import { keyVersionOf } from '../src/server/deployments/key-version.js';
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
import { waitUntilGone } from './race-support.js';

interface Obj {
  metadata: {
    name: string;
    uid?: string;
    resourceVersion?: string;
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
    // Each owner before what it owns: the runtime owns the secrets, the InferenceService the PVC.
    expect(result.objects).toEqual([
      { kind: 'ServingRuntime', name: 'llama-8b', action: 'created' },
      { kind: 'Secret', name: NIM_SECRET_NAME, action: 'created' },
      { kind: 'Secret', name: NIM_PULL_SECRET_NAME, action: 'created' },
      { kind: 'InferenceService', name: 'llama-8b', action: 'created' },
      { kind: 'PersistentVolumeClaim', name: 'nim-pvc-llama-8b', action: 'created' },
    ]);
    expect(result.keyInUse).toBe('request');
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
      storage: { claimName: 'nim-pvc-llama-8b', created: true, size: '50Gi', owned: true },
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

    // Owned the Kubernetes way: no controller, nothing blocked.
    const runtimeUid = (await getObject(API.servingRuntime, ns, 'llama-8b')).metadata.uid;
    const isvcUid = (await getObject(API.inferenceService, ns, 'llama-8b')).metadata.uid;
    for (const secret of [keySecret, pull]) {
      expect(secret.metadata?.ownerReferences).toEqual([
        {
          apiVersion: 'serving.kserve.io/v1alpha1',
          kind: 'ServingRuntime',
          name: 'llama-8b',
          uid: runtimeUid,
        },
      ]);
    }
    expect(pvc.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        name: 'llama-8b',
        uid: isvcUid,
      },
    ]);

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
    // The pods record which key they run with: a new key rolls them (never the key itself).
    expect(isvc.spec.predictor).toEqual({
      minReplicas: 1,
      maxReplicas: 1,
      annotations: { [ANNOTATIONS.keyVersion]: keyVersionOf(ns, GOOD_KEY) },
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

    // Delete: the last deployment was the last owner of the PVC and of both secrets, so the
    // garbage collector takes them.
    const deleted = await harness.call({ method: 'DELETE', url: deploymentPath(ns, 'llama-8b') });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleteResponseSchema.parse(deleted.body)).toEqual({
      deleted: [
        { kind: 'InferenceService', name: 'llama-8b' },
        { kind: 'ServingRuntime', name: 'llama-8b' },
      ],
      kept: [],
      collected: [
        { kind: 'PersistentVolumeClaim', name: 'nim-pvc-llama-8b' },
        { kind: 'Secret', name: NIM_SECRET_NAME },
        { kind: 'Secret', name: NIM_PULL_SECRET_NAME },
      ],
    });
    const left = await listProjectObjects(harness, ns);
    expect(left.inferenceServices).toEqual([]);
    expect(left.runtimes).toEqual([]);
    // Gone for real, not left Terminating: the collector deletes them, and kube-controller-
    // manager's pvc-protection controller releases the PVC once no pod mounts it.
    await waitUntilGone(harness, ns, {
      pvcs: ['nim-pvc-llama-8b'],
      secrets: [NIM_SECRET_NAME, NIM_PULL_SECRET_NAME],
    });

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
      { kind: 'ServingRuntime', name: 'second', action: 'created' },
      { kind: 'Secret', name: NIM_SECRET_NAME, action: 'reused' },
      { kind: 'Secret', name: NIM_PULL_SECRET_NAME, action: 'reused' },
      { kind: 'InferenceService', name: 'second', action: 'created' },
      { kind: 'PersistentVolumeClaim', name: 'nim-pvc-first', action: 'reused' },
    ]);
    expect(result.keyInUse).toBe('stored');
    // The reused PVC is shared: "first" made it, "second" owns it too.
    expect(result.deployment).toMatchObject({
      protocol: 'grpc',
      storage: {
        claimName: 'nim-pvc-first',
        subPath: 'second',
        created: false,
        owned: true,
        sharedWith: ['first'],
      },
    });
    // The same data; one more owner.
    const secretAfter = await harness.core.readNamespacedSecret({
      namespace: ns,
      name: NIM_SECRET_NAME,
    });
    expect(secretAfter.data).toEqual(secretBefore.data);
    expect(secretAfter.metadata?.ownerReferences?.map((o) => o.name)).toEqual(['first', 'second']);

    // The same key sent again leaves the secrets untouched.
    const third = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({ name: 'third', storage: { mode: 'new', size: '20Gi' } }),
    });
    expect(third.status, third.text).toBe(201);
    expect(deployResponseSchema.parse(third.body).objects.slice(1, 3)).toEqual([
      { kind: 'Secret', name: NIM_SECRET_NAME, action: 'unchanged' },
      { kind: 'Secret', name: NIM_PULL_SECRET_NAME, action: 'unchanged' },
    ]);

    const list = deploymentsResponseSchema.parse(
      (await harness.call({ url: deploymentsPath(ns) })).body,
    );
    expect(list.deployments.map((d) => d.name)).toEqual(['first', 'second', 'third']);
    expect(list.deployments.map((d) => d.storage)).toEqual([
      {
        claimName: 'nim-pvc-first',
        created: true,
        size: '50Gi',
        owned: true,
        sharedWith: ['second'],
      },
      {
        claimName: 'nim-pvc-first',
        subPath: 'second',
        created: false,
        size: '50Gi',
        owned: true,
        sharedWith: ['first'],
      },
      { claimName: 'nim-pvc-third', created: true, size: '20Gi', owned: true },
    ]);

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
    expect(deleteFirst.kept[0]?.reason).toBe('still used by InferenceService second');
    expect(deleteFirst.kept[1]?.reason).toBe(
      'still used by ServingRuntime second, ServingRuntime third',
    );

    // Deleting "second", the last user of the shared PVC, releases it.
    const deleteSecond = deleteResponseSchema.parse(
      (await harness.call({ method: 'DELETE', url: deploymentPath(ns, 'second') })).body,
    );
    expect(deleteSecond.collected).toEqual([
      { kind: 'PersistentVolumeClaim', name: 'nim-pvc-first' },
    ]);
    expect(deleteSecond.kept.map((k) => [k.kind, k.name])).toEqual([
      ['Secret', NIM_SECRET_NAME],
      ['Secret', NIM_PULL_SECRET_NAME],
    ]);
    await waitUntilGone(harness, ns, { pvcs: ['nim-pvc-first'] });
    expect((await listProjectObjects(harness, ns)).secrets).toContain(NIM_SECRET_NAME);

    // The last one takes the secrets.
    const deleteThird = deleteResponseSchema.parse(
      (await harness.call({ method: 'DELETE', url: deploymentPath(ns, 'third') })).body,
    );
    expect(deleteThird.collected?.map((d) => d.name)).toEqual([
      'nim-pvc-third',
      NIM_SECRET_NAME,
      NIM_PULL_SECRET_NAME,
    ]);
    await waitUntilGone(harness, ns, {
      pvcs: ['nim-pvc-third'],
      secrets: [NIM_SECRET_NAME, NIM_PULL_SECRET_NAME],
    });
    expect(await harness.call({ url: apiKeyPath(ns) }).then((r) => r.body)).toEqual({
      exists: false,
      complete: false,
    });
  });

  it('keeps a NIM secret that a runtime made by hand after the deploy still uses', async () => {
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
    // The delete first made the hand-made runtime an owner too, so the collector keeps the key.
    expect(deleted.kept).toEqual([
      { kind: 'Secret', name: NIM_SECRET_NAME, reason: 'still used by ServingRuntime hand-made' },
    ]);
    expect(deleted.collected).toContainEqual({ kind: 'Secret', name: NIM_PULL_SECRET_NAME });
    await waitUntilGone(harness, ns, { secrets: [NIM_PULL_SECRET_NAME] });
    const kept = await harness.core.readNamespacedSecret({ namespace: ns, name: NIM_SECRET_NAME });
    expect(kept.metadata?.ownerReferences?.map((o) => o.name)).toEqual(['hand-made']);
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
      changed: true,
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
    // The pods of each NIM deployment now record the new key's version: they rolled.
    for (const name of ['alpha', 'beta']) {
      const isvc = await getObject(API.inferenceService, ns, name);
      const predictor = isvc.spec.predictor as { annotations?: Record<string, string> };
      expect(predictor.annotations?.[ANNOTATIONS.keyVersion]).toBe(
        keyVersionOf(ns, OTHER_GOOD_KEY),
      );
    }
    const vllm = await getObject(API.inferenceService, ns, 'vllm');
    const vllmPredictor = vllm.spec.predictor as { annotations?: Record<string, string> };
    expect(vllmPredictor.annotations?.[ANNOTATIONS.keyVersion]).toBeUndefined();

    // The same key again: nothing written, nothing restarted, and the answer says so.
    const versions = async () =>
      Promise.all([
        harness.core
          .readNamespacedSecret({ namespace: ns, name: NIM_SECRET_NAME })
          .then((secret) => secret.metadata?.resourceVersion),
        harness.core
          .readNamespacedSecret({ namespace: ns, name: NIM_PULL_SECRET_NAME })
          .then((secret) => secret.metadata?.resourceVersion),
        ...['alpha', 'beta'].map(
          async (name) =>
            (await getObject(API.inferenceService, ns, name)).metadata.resourceVersion,
        ),
      ]);
    const before = await versions();
    const same = await harness.call({
      method: 'PUT',
      url: apiKeyPath(ns),
      body: { apiKey: OTHER_GOOD_KEY },
    });
    expect(same.status, same.text).toBe(200);
    expect(rotateKeyResponseSchema.parse(same.body)).toEqual({
      secrets: [
        { kind: 'Secret', name: NIM_SECRET_NAME, action: 'unchanged' },
        { kind: 'Secret', name: NIM_PULL_SECRET_NAME, action: 'unchanged' },
      ],
      restarted: [],
      failed: [],
      keyValidation: 'valid',
      changed: false,
    });
    expect(await versions()).toEqual(before);

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
    expect(deployResponseSchema.parse(response.body).objects.slice(1, 3)).toEqual([
      { kind: 'Secret', name: NIM_SECRET_NAME, action: 'reused' },
      { kind: 'Secret', name: NIM_PULL_SECRET_NAME, action: 'created' },
    ]);
    const pull = await harness.core.readNamespacedSecret({
      namespace: ns,
      name: NIM_PULL_SECRET_NAME,
    });
    expect(decodeBase64(pull.data?.['.dockerconfigjson'] ?? '')).toContain(GOOD_KEY);
  });

  it('keeps the stored key unless the request may replace it; a replacement restarts the others', async () => {
    const ns = await createProject(harness);
    const deploy = async (body: Record<string, unknown>) => {
      const response = await harness.call({ method: 'POST', url: deploymentsPath(ns), body });
      expect(response.status, response.text).toBe(201);
      return deployResponseSchema.parse(response.body);
    };
    await deploy(deployBody({ name: 'a' }));
    // The wizard saw no stored key, so it did not offer to replace one: the stored key wins.
    const kept = await deploy(
      deployBody({ name: 'b', apiKey: OTHER_GOOD_KEY, replaceStoredKey: false }),
    );
    expect(kept.keyInUse).toBe('stored');
    expect(kept.objects.slice(1, 3).map((o) => o.action)).toEqual(['reused', 'reused']);
    expect(kept.restarted).toBeUndefined();
    const stored = await harness.core.readNamespacedSecret({
      namespace: ns,
      name: NIM_SECRET_NAME,
    });
    expect(decodeBase64(stored.data?.NGC_API_KEY ?? '')).toBe(GOOD_KEY);

    // "Enter a new key: replaces the stored key for every NIM deployment of this project."
    const replaced = await deploy(deployBody({ name: 'c', apiKey: OTHER_GOOD_KEY }));
    expect(replaced.keyInUse).toBe('request');
    expect(replaced.objects.slice(1, 3).map((o) => o.action)).toEqual(['updated', 'updated']);
    expect(replaced.restarted).toEqual(['a', 'b']);
    for (const name of ['a', 'b', 'c']) {
      const isvc = await getObject(API.inferenceService, ns, name);
      const predictor = isvc.spec.predictor as { annotations?: Record<string, string> };
      expect(predictor.annotations?.[ANNOTATIONS.keyVersion], name).toBe(
        keyVersionOf(ns, OTHER_GOOD_KEY),
      );
    }
  });

  it('releases a cache PVC when its InferenceService is deleted with any tool', async () => {
    const ns = await createProject(harness);
    const deployed = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({ name: 'by-hand' }),
    });
    expect(deployed.status, deployed.text).toBe(201);
    // `oc delete isvc by-hand`: the dashboard is not asked.
    await harness.custom.deleteNamespacedCustomObject({
      ...API.inferenceService,
      namespace: ns,
      name: 'by-hand',
    });
    await waitUntilGone(harness, ns, { pvcs: ['nim-pvc-by-hand'] });
    // The ServingRuntime is left, so it still holds the key; the page shows it incomplete.
    const left = await listProjectObjects(harness, ns);
    expect(left.runtimes).toEqual(['by-hand']);
    expect(left.secrets).toEqual(expect.arrayContaining([NIM_SECRET_NAME, NIM_PULL_SECRET_NAME]));
    const list = deploymentsResponseSchema.parse(
      (await harness.call({ url: deploymentsPath(ns) })).body,
    );
    expect(list.deployments[0]).toMatchObject({
      orphanedRuntime: true,
      storage: { claimName: 'nim-pvc-by-hand', missing: true },
    });
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
