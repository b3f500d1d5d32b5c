import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  API_PATHS,
  apiKeyPath,
  deploymentPath,
  deploymentsPath,
  projectsResponseSchema,
  whoamiResponseSchema,
} from '../src/api/types.js';
import {
  createProject,
  deployBody,
  findLeaks,
  GOOD_KEY,
  listProjectObjects,
  startHarness,
  type Harness,
} from './harness.js';

describe('acting as the caller', () => {
  let harness: Harness;
  let aliceProject: string;
  let bobProject: string;

  beforeAll(async () => {
    harness = await startHarness();
    aliceProject = await createProject(harness, {
      prefix: 'alice',
      editors: ['alice'],
      viewers: ['viewer'],
    });
    bobProject = await createProject(harness, { prefix: 'bob', editors: ['bob'] });
  });
  afterAll(async () => {
    expect(findLeaks(harness)).toEqual([]);
    await harness.close();
  });

  it('needs a token for every project call', async () => {
    for (const call of [
      { method: 'GET' as const, url: deploymentsPath(aliceProject) },
      { method: 'POST' as const, url: deploymentsPath(aliceProject), body: deployBody() },
      { method: 'DELETE' as const, url: deploymentPath(aliceProject, 'x') },
      { method: 'GET' as const, url: apiKeyPath(aliceProject) },
      { method: 'PUT' as const, url: apiKeyPath(aliceProject), body: { apiKey: GOOD_KEY } },
      { method: 'GET' as const, url: API_PATHS.projects },
      { method: 'GET' as const, url: API_PATHS.whoami },
    ]) {
      const response = await harness.call({ ...call, as: 'anonymous' });
      expect(response.status, `${call.method} ${call.url}`).toBe(401);
      expect(response.body).toMatchObject({ code: 'unauthenticated' });
    }
  });

  it('gives a view-only user 403 and creates nothing', async () => {
    const before = await listProjectObjects(harness, aliceProject);
    const list = await harness.call({ url: deploymentsPath(aliceProject), as: 'viewer' });
    expect(list.status).toBe(200);

    const response = await harness.call({
      method: 'POST',
      url: deploymentsPath(aliceProject),
      as: 'viewer',
      body: deployBody(),
    });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'forbidden', kubernetesStatus: 403 });
    expect(await listProjectObjects(harness, aliceProject)).toEqual(before);

    const rotate = await harness.call({
      method: 'PUT',
      url: apiKeyPath(aliceProject),
      as: 'viewer',
      body: { apiKey: GOOD_KEY },
    });
    expect(rotate.status).toBe(403);
    expect(await listProjectObjects(harness, aliceProject)).toEqual(before);
  });

  it("keeps users out of each other's projects", async () => {
    const deploy = await harness.call({
      method: 'POST',
      url: deploymentsPath(bobProject),
      as: 'alice',
      body: deployBody(),
    });
    expect(deploy.status).toBe(403);
    expect((await listProjectObjects(harness, bobProject)).runtimes).toEqual([]);

    const list = await harness.call({ url: deploymentsPath(bobProject), as: 'alice' });
    expect(list.status).toBe(403);
    expect(list.body).toMatchObject({ code: 'forbidden' });

    const own = await harness.call({
      method: 'POST',
      url: deploymentsPath(bobProject),
      as: 'bob',
      body: deployBody(),
    });
    expect(own.status, own.text).toBe(201);
    const remove = await harness.call({
      method: 'DELETE',
      url: deploymentPath(bobProject, 'llama-8b'),
      as: 'alice',
    });
    expect(remove.status).toBe(403);
    expect((await listProjectObjects(harness, bobProject)).runtimes).toEqual(['llama-8b']);
  });

  it('accepts the token as X-Forwarded-Access-Token (oauth-proxy)', async () => {
    const response = await harness.call({
      url: deploymentsPath(aliceProject),
      as: 'alice',
      forwarded: true,
    });
    expect(response.status).toBe(200);
  });

  it('lists projects, or says why not', async () => {
    const response = await harness.call({ url: API_PATHS.projects, as: 'alice' });
    expect(response.status).toBe(200);
    const body = projectsResponseSchema.parse(response.body);
    // Alice may not list namespaces cluster-wide on this cluster (no OpenShift projects API).
    expect(body.projects).toEqual([]);
    expect(body.message).toMatch(/may not list projects/);
  });

  it('lists the namespaces of a user allowed to', async () => {
    const rbac = harness.admin.makeApiClient(RbacAuthorizationV1Api);
    const name = `list-namespaces-bob-${bobProject}`;
    await rbac.createClusterRole({
      body: {
        metadata: { name },
        rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['list'] }],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }],
      },
    });
    await expect
      .poll(async () => {
        const response = await harness.call({ url: API_PATHS.projects, as: 'bob' });
        return projectsResponseSchema.parse(response.body).projects.map((p) => p.name);
      })
      .toContain(bobProject);
  });

  it('says who the caller is', async () => {
    const response = await harness.call({ url: API_PATHS.whoami, as: 'alice' });
    expect(response.status).toBe(200);
    const body = whoamiResponseSchema.parse(response.body);
    expect(body.username).toBe('alice');
    expect(body.groups).toContain('odh-nim-testers');
  });

  it('rejects an invalid project name with 400', async () => {
    const response = await harness.call({ url: deploymentsPath('Not_A_Namespace') });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ field: 'ns' });
  });
});
