import { AdmissionregistrationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  API,
  buildNimSecrets,
  decodeBase64,
  NIM_PULL_SECRET_NAME,
  NIM_SECRET_NAME,
} from '@odh-nim/contract';

import { deploymentsPath, type DeployStep } from '../src/api/types.js';
import {
  createProject,
  deployBody,
  findLeaks,
  listProjectObjects,
  startHarness,
  type Harness,
} from './harness.js';

/** The key already stored in the project before the failing deploy. */
const OLD_KEY = 'nvapi-test-old-key';

interface Fault {
  step: DeployStep;
  group: string;
  resource: string;
  /** CEL: true lets the request through. */
  allow: string;
  /** Secrets that exist before the deploy (with OLD_KEY). */
  existingSecrets: string[];
  /** What the rollback reports as removed, in order. */
  removed: string[];
  /** What the rollback reports as restored, in order. */
  restored: string[];
}

// Each policy lets dry runs through (request.dryRun), so the deploy passes its dry-run step and
// fails at the real write of one object. The deploy writes each owner before what it owns: the
// ServingRuntime, the secrets, the InferenceService, the PVC.
const FAULTS: Fault[] = [
  {
    step: 'serving-runtime',
    group: API.servingRuntime.group,
    resource: API.servingRuntime.plural,
    allow: 'request.dryRun == true',
    existingSecrets: [NIM_SECRET_NAME, NIM_PULL_SECRET_NAME],
    removed: [],
    restored: [],
  },
  {
    step: 'secrets',
    group: '',
    resource: 'secrets',
    allow: `request.dryRun == true || object.metadata.name != '${NIM_PULL_SECRET_NAME}'`,
    existingSecrets: [NIM_SECRET_NAME],
    removed: ['ServingRuntime/llama-8b'],
    restored: [`Secret/${NIM_SECRET_NAME}`],
  },
  {
    step: 'secrets',
    group: '',
    resource: 'secrets',
    allow: `request.dryRun == true || object.metadata.name != '${NIM_PULL_SECRET_NAME}'`,
    existingSecrets: [],
    removed: [`Secret/${NIM_SECRET_NAME}`, 'ServingRuntime/llama-8b'],
    restored: [],
  },
  {
    step: 'inference-service',
    group: API.inferenceService.group,
    resource: API.inferenceService.plural,
    allow: 'request.dryRun == true',
    existingSecrets: [NIM_SECRET_NAME, NIM_PULL_SECRET_NAME],
    removed: ['ServingRuntime/llama-8b'],
    restored: [`Secret/${NIM_PULL_SECRET_NAME}`, `Secret/${NIM_SECRET_NAME}`],
  },
  {
    step: 'pvc',
    group: '',
    resource: 'persistentvolumeclaims',
    allow: 'request.dryRun == true',
    existingSecrets: [],
    removed: [
      'InferenceService/llama-8b',
      `Secret/${NIM_PULL_SECRET_NAME}`,
      `Secret/${NIM_SECRET_NAME}`,
      'ServingRuntime/llama-8b',
    ],
    restored: [],
  },
  {
    // Denies dry runs too: the dry-run step catches it before anything is written.
    step: 'dry-run',
    group: API.inferenceService.group,
    resource: API.inferenceService.plural,
    allow: 'false',
    existingSecrets: [NIM_SECRET_NAME, NIM_PULL_SECRET_NAME],
    removed: [],
    restored: [],
  },
];

describe('rollback when a step fails', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    expect(findLeaks(harness)).toEqual([]);
    await harness.close();
  });

  it.each(FAULTS)(
    'a fault at step $step (secrets before: $existingSecrets) leaves no new object and the secrets as they were',
    async (fault) => {
      const ns = await createProject(harness, { prefix: `fault-${fault.step}` });
      // Pre-existing secrets are the user's own here: nothing owns them, before or after.
      for (const secret of buildNimSecrets({ namespace: ns, apiKey: OLD_KEY })) {
        if (fault.existingSecrets.includes(secret.metadata.name)) {
          await harness.core.createNamespacedSecret({ namespace: ns, body: secret });
        }
      }
      await denyInNamespace(harness.admin, { namespace: ns, ...fault });
      await waitUntilDenied(harness, ns, fault);

      const before = await listProjectObjects(harness, ns);
      const secretsBefore = await readSecrets(harness, ns);

      const response = await harness.call({
        method: 'POST',
        url: deploymentsPath(ns),
        body: deployBody(),
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      const body = response.body as {
        code: string;
        message: string;
        failedStep: string;
        rolledBack?: { removed: unknown[]; restored: unknown[]; failed: unknown[] };
      };
      expect(body.failedStep).toBe(fault.step);
      expect(body.message).toContain('denied');

      expect(await listProjectObjects(harness, ns)).toEqual(before);
      expect(await readSecrets(harness, ns)).toEqual(secretsBefore);
      for (const name of fault.existingSecrets) {
        expect(secretsBefore[name]).toContain(OLD_KEY);
      }
      if (fault.step === 'dry-run') {
        expect(body.rolledBack).toBeUndefined();
      } else {
        expect(body.rolledBack?.failed).toEqual([]);
        expect(
          (body.rolledBack?.removed as { kind: string; name: string }[]).map(
            (ref) => `${ref.kind}/${ref.name}`,
          ),
        ).toEqual(fault.removed);
        expect(
          (body.rolledBack?.restored as { kind: string; name: string }[]).map(
            (ref) => `${ref.kind}/${ref.name}`,
          ),
        ).toEqual(fault.restored);
        for (const name of fault.existingSecrets) {
          const secret = await harness.core.readNamespacedSecret({ namespace: ns, name });
          expect(secret.metadata?.ownerReferences, name).toBeUndefined();
        }
      }
    },
  );
});

async function readSecrets(harness: Harness, namespace: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const name of [NIM_SECRET_NAME, NIM_PULL_SECRET_NAME]) {
    const secret = await harness.core
      .readNamespacedSecret({ namespace, name })
      .catch(() => undefined);
    if (!secret) continue;
    result[name] = JSON.stringify(
      Object.fromEntries(
        Object.entries(secret.data ?? {}).map(([key, value]) => [key, decodeBase64(value)]),
      ),
    );
  }
  return result;
}

async function denyInNamespace(
  admin: KubeConfig,
  options: { namespace: string } & Fault,
): Promise<void> {
  const api = admin.makeApiClient(AdmissionregistrationV1Api);
  const name = `deny-${options.namespace}`;
  await api.createValidatingAdmissionPolicy({
    body: {
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [options.group],
              apiVersions: ['*'],
              operations: ['CREATE', 'UPDATE'],
              resources: [options.resource],
            },
          ],
        },
        validations: [{ expression: options.allow, message: `test fault: ${options.step} denied` }],
      },
    },
  });
  await api.createValidatingAdmissionPolicyBinding({
    body: {
      metadata: { name },
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': options.namespace },
          },
        },
      },
    },
  });
}

/** Polls with a real create until the policy is in force (the apiserver loads it asynchronously). */
async function waitUntilDenied(harness: Harness, namespace: string, fault: Fault): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (let attempt = 0; ; attempt++) {
    const probe = `probe-${attempt}`;
    let created = false;
    try {
      if (fault.resource === 'secrets') {
        await harness.core.createNamespacedSecret({
          namespace,
          body: { metadata: { name: NIM_PULL_SECRET_NAME, namespace }, data: {} },
        });
        created = true;
        await harness.core.deleteNamespacedSecret({ namespace, name: NIM_PULL_SECRET_NAME });
      } else if (fault.resource === 'persistentvolumeclaims') {
        await harness.core.createNamespacedPersistentVolumeClaim({
          namespace,
          body: {
            metadata: { name: probe, namespace },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        });
        created = true;
      } else {
        const resource =
          fault.resource === API.servingRuntime.plural ? API.servingRuntime : API.inferenceService;
        const kind =
          fault.resource === API.servingRuntime.plural ? 'ServingRuntime' : 'InferenceService';
        await harness.custom.createNamespacedCustomObject({
          ...resource,
          namespace,
          body: {
            apiVersion: `${resource.group}/${resource.version}`,
            kind,
            metadata: { name: probe, namespace },
            spec:
              kind === 'ServingRuntime'
                ? { containers: [{ name: 'c', image: 'x' }] }
                : { predictor: { model: { modelFormat: { name: 'x' } } } },
          },
        });
        created = true;
        await harness.custom.deleteNamespacedCustomObject({ ...resource, namespace, name: probe });
      }
    } catch (error) {
      if (!created && (error as { code?: number }).code !== undefined) return;
      throw error;
    }
    if (Date.now() > deadline) throw new Error('the ValidatingAdmissionPolicy never took effect');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
