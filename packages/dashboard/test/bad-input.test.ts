import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { deploymentsPath } from '../src/api/types.js';
import {
  createProject,
  deployBody,
  findLeaks,
  listProjectObjects,
  startHarness,
  type Harness,
} from './harness.js';

const resources = (overrides: Record<string, unknown>): Record<string, unknown> => ({
  gpus: 1,
  cpu: { request: '2', limit: '4' },
  memory: { request: '16Gi', limit: '32Gi' },
  ...overrides,
});

/** [what is wrong, the field the answer must name, request overrides] */
const BAD_INPUTS: [string, string, Record<string, unknown>][] = [
  ['name with upper case and "_"', 'name', { name: 'Bad_Name' }],
  ['name longer than 45', 'name', { name: `a${'b'.repeat(45)}` }],
  ['name starting with a digit', 'name', { name: '1llama' }],
  ['name missing', 'name', { name: undefined }],
  ['empty display name', 'displayName', { displayName: '  ' }],
  ['model not in the catalog', 'modelName', { modelName: 'no-such-model' }],
  ['tag not of the model', 'tag', { tag: '9.9.9' }],
  ['min replicas above max', 'replicas.min', { replicas: { min: 3, max: 2 } }],
  ['max replicas 0', 'replicas.max', { replicas: { min: 0, max: 0 } }],
  ['too many replicas', 'replicas.max', { replicas: { min: 1, max: 1000 } }],
  ['fractional replicas', 'replicas.min', { replicas: { min: 0.5, max: 1 } }],
  ['negative GPUs', 'resources.gpus', { resources: resources({ gpus: -1 }) }],
  ['fractional GPUs', 'resources.gpus', { resources: resources({ gpus: 1.5 }) }],
  ['too many GPUs', 'resources.gpus', { resources: resources({ gpus: 64 }) }],
  [
    'CPU request above limit',
    'resources.cpu.request',
    { resources: resources({ cpu: { request: '8', limit: '4' } }) },
  ],
  [
    'CPU not a quantity',
    'resources.cpu.limit',
    { resources: resources({ cpu: { request: '1', limit: 'lots' } }) },
  ],
  [
    'CPU above the bound',
    'resources.cpu.limit',
    { resources: resources({ cpu: { request: '1', limit: '1000' } }) },
  ],
  [
    'memory below the bound',
    'resources.memory.request',
    { resources: resources({ memory: { request: '1Ki', limit: '1Gi' } }) },
  ],
  [
    'memory request above limit',
    'resources.memory.request',
    { resources: resources({ memory: { request: '64Gi', limit: '32Gi' } }) },
  ],
  ['PVC size not a quantity', 'storage.size', { storage: { mode: 'new', size: 'big' } }],
  ['PVC size too small', 'storage.size', { storage: { mode: 'new', size: '100Mi' } }],
  [
    'storage class not a name',
    'storage.storageClassName',
    { storage: { mode: 'new', size: '50Gi', storageClassName: 'Not_Valid' } },
  ],
  [
    'storage class that does not exist',
    'storage.storageClassName',
    { storage: { mode: 'new', size: '50Gi', storageClassName: 'no-such-class' } },
  ],
  [
    'existing PVC that does not exist',
    'storage.claimName',
    { storage: { mode: 'existing', claimName: 'no-such-pvc' } },
  ],
  [
    'sub-path escaping the volume',
    'storage.subPath',
    { storage: { mode: 'existing', claimName: 'cache', subPath: '../other' } },
  ],
  ['unknown storage mode', 'storage.mode', { storage: { mode: 'shared' } }],
  ['unknown protocol', 'protocol', { protocol: 'ftp' }],
  ['externalRoute not a boolean', 'externalRoute', { externalRoute: 'yes' }],
  ['tokenAuth missing', 'tokenAuth', { tokenAuth: undefined }],
  ['key and stored key both', 'apiKey', { useExistingKey: true }],
];

describe('bad input', () => {
  let harness: Harness;
  let ns: string;

  beforeAll(async () => {
    harness = await startHarness();
    ns = await createProject(harness, { prefix: 'bad-input' });
    // Let alice read StorageClasses, so a missing one is caught before any write.
    const rbac = harness.admin.makeApiClient(RbacAuthorizationV1Api);
    const name = `read-storageclasses-${ns}`;
    await rbac.createClusterRole({
      body: {
        metadata: { name },
        rules: [{ apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get'] }],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
      },
    });
  });
  afterAll(async () => {
    expect(findLeaks(harness)).toEqual([]);
    await harness.close();
  });

  it.each(BAD_INPUTS)('%s → 400 naming %s', async (_what, field, overrides) => {
    const response = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody(overrides),
    });
    expect(response.status, response.text).toBe(400);
    const body = response.body as {
      code: string;
      field: string;
      message: string;
      issues: { field: string; message: string }[];
      failedStep: string;
    };
    expect(body.code).toBe('invalid-request');
    expect(body.failedStep).toBe('validate');
    expect(body.field).toBe(field);
    expect(body.issues.map((issue) => issue.field)).toEqual([field]);
    expect(body.message).toContain(field);
  });

  it('rejects a body that is not a deploy request', async () => {
    for (const payload of ['[]', '"text"', 'null']) {
      const response = await harness.call({
        method: 'POST',
        url: deploymentsPath(ns),
        rawBody: payload,
      });
      expect(response.status, payload).toBe(400);
      expect(response.body).toMatchObject({ code: 'invalid-request' });
    }
  });

  it('lists every invalid field at once', async () => {
    const response = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({ name: 'Bad', protocol: 'ftp', replicas: { min: 2, max: 1 } }),
    });
    expect(response.status).toBe(400);
    const fields = (response.body as { issues: { field: string }[] }).issues.map((i) => i.field);
    expect(fields.sort()).toEqual(['name', 'protocol', 'replicas.min']);
  });

  it('created nothing and never called NGC', async () => {
    const objects = await listProjectObjects(harness, ns);
    expect(objects).toEqual({ secrets: [], pvcs: [], runtimes: [], inferenceServices: [] });
    expect(harness.ngc.requests).toEqual([]);
  });
});
