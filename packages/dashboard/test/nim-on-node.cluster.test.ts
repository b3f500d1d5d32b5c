// A NIM deployment made by the dashboard runs on a real node: the kubelet starts the NIM
// stand-in under the exact image reference the ServingRuntime names, with the secrets the
// dashboard made and a bound cache PVC, and the model answers on its pod IP.
import { AppsV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API, NIM_PULL_SECRET_NAME, NIM_SECRET_NAME } from '@odh-nim/contract';
import { GPU_RESOURCE, loadModelImages } from '@odh-nim/testkit';
import { controlPlaneInfo } from '@odh-nim/testkit/vitest';
import { deploymentsPath } from '../src/api/types.js';
import { createProject, deployBody, findLeaks, startHarness, type Harness } from './harness.js';
import { predictorDeployment } from './kserve-raw-deployment.js';

const POD_READY_MS = 120_000;

function isReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

describe('a dashboard deployment on a real node', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    expect(findLeaks(harness)).toEqual([]);
    await harness.close();
  });

  it('runs the NIM, answers /v1/models on its pod IP, and comes back Ready after a pod delete', async () => {
    const node = controlPlaneInfo().node;
    if (!node) throw new Error('the cluster project starts a node');
    const core = harness.core;
    const apps = harness.admin.makeApiClient(AppsV1Api);
    const ns = await createProject(harness);

    // Small requests: the node has 2 cores; GPUs are what the node advertises.
    const deployed = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      as: 'alice',
      body: deployBody({
        name: 'llama-node',
        resources: {
          gpus: 1,
          cpu: { request: '100m', limit: '1' },
          memory: { request: '64Mi', limit: '256Mi' },
        },
        storage: { mode: 'new', size: '10Gi' },
      }),
    });
    expect(deployed.status, deployed.text).toBe(201);

    const runtime = (await harness.custom.getNamespacedCustomObject({
      ...API.servingRuntime,
      namespace: ns,
      name: 'llama-node',
    })) as Parameters<typeof predictorDeployment>[1];
    const isvc = (await harness.custom.getNamespacedCustomObject({
      ...API.inferenceService,
      namespace: ns,
      name: 'llama-node',
    })) as Parameters<typeof predictorDeployment>[0];
    const image = (runtime.spec['containers'] as { name: string; image: string }[])[0]?.image ?? '';
    expect(image).toMatch(/^nvcr\.io\/nim\//);
    // The stand-in, under the exact reference the ServingRuntime names: nothing is pulled.
    await loadModelImages(node, [image]);

    // What KServe's controller would do next (see kserve-raw-deployment.ts).
    const deployment = predictorDeployment(isvc, runtime);
    const container = deployment.spec?.template.spec?.containers[0];
    expect(container?.resources?.limits?.[GPU_RESOURCE]).toBe('1');
    expect(
      container?.env?.find((e) => e.name === 'NGC_API_KEY')?.valueFrom?.secretKeyRef?.name,
    ).toBe(NIM_SECRET_NAME);
    expect(deployment.spec?.template.spec?.imagePullSecrets).toEqual([
      { name: NIM_PULL_SECRET_NAME },
    ]);
    await apps.createNamespacedDeployment({ namespace: ns, body: deployment });

    const selector = `serving.kserve.io/inferenceservice=llama-node`;
    const readyPod = async (notNamed?: string): Promise<V1Pod> => {
      let found: V1Pod | undefined;
      await vi.waitFor(
        async () => {
          const pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: selector }))
            .items;
          found = pods.find(
            (p) => p.metadata?.name !== notNamed && !p.metadata?.deletionTimestamp && isReady(p),
          );
          expect(
            found,
            JSON.stringify(
              pods.map((p) => p.status),
              null,
              1,
            ).slice(0, 2000),
          ).toBeDefined();
        },
        { timeout: POD_READY_MS, interval: 500 },
      );
      if (!found) throw new Error('unreachable');
      return found;
    };
    // KServe's default probe only sees the port open; NIM's own readiness needs the key from
    // the dashboard's secret and a writable cache on the PVC.
    const models = async (pod: V1Pod): Promise<unknown> => {
      const base = `http://${pod.status?.podIP}:8000`;
      await vi.waitFor(
        async () => expect((await fetch(`${base}/v1/health/ready`)).status).toBe(200),
        { timeout: 30_000, interval: 250 },
      );
      const res = await fetch(`${base}/v1/models`);
      expect(res.status).toBe(200);
      return res.json();
    };

    const first = await readyPod();
    expect(first.spec?.nodeName).toBe(node.name);
    // What the real NIM answers with no NIM_SERVED_MODEL_NAME: its model's NGC name.
    expect(await models(first)).toMatchObject({ data: [{ id: 'meta/llama-3.1-8b-instruct' }] });
    const pvc = await core.readNamespacedPersistentVolumeClaim({
      namespace: ns,
      name: 'nim-pvc-llama-node',
    });
    expect(pvc.status?.phase).toBe('Bound');

    // `kubectl delete pod`: the ReplicaSet makes another, which gets Ready on the same cache.
    await core.deleteNamespacedPod({ namespace: ns, name: first.metadata?.name ?? '' });
    const second = await readyPod(first.metadata?.name);
    expect(await models(second)).toMatchObject({ data: [{ id: 'meta/llama-3.1-8b-instruct' }] });

    // Deleting through the dashboard: the collector takes the Deployment the InferenceService
    // owned, its pods go, and then the cache PVC is released and deleted for real.
    const deleted = await harness.call({
      method: 'DELETE',
      url: `${deploymentsPath(ns)}/llama-node`,
      as: 'alice',
    });
    expect(deleted.status, deleted.text).toBe(200);
    await vi.waitFor(
      async () => {
        const left = await core.listNamespacedPersistentVolumeClaim({ namespace: ns });
        const deployments = await apps.listNamespacedDeployment({ namespace: ns });
        expect(left.items.map((p) => p.metadata?.name)).toEqual([]);
        expect(deployments.items).toEqual([]);
      },
      { timeout: 60_000, interval: 500 },
    );
  });
});
