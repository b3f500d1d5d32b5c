import { KubeConfig } from '@kubernetes/client-node';
import {
  ANNOTATIONS,
  DASHBOARD_CONFIG_NAME,
  LABELS,
  LEGACY,
  RUNTIME_TEMPLATE_HTTP,
} from '@odh-nim/contract';
import { beforeEach, describe, expect, it } from 'vitest';

import { apiError, FakeResourceClient } from '../k8s/fake-resource-client.js';
import type { KubeObject } from '../k8s/objects.js';
import { cleanup } from './cleanup.js';
import { APPS, mockAccount, ownedBy } from './mock-snapshot.js';
import type { CleanupReport, CleanupReportEntry } from './report.js';

const PROJECT = 'project';
const noSleep = { sleep: async () => undefined };

/** A small old-design cluster in the fake: an Account with an owned Secret a Pod still uses. */
function seed(client: FakeResourceClient): { account: KubeObject } {
  client.add('CustomResourceDefinition', { metadata: { name: LEGACY.accountCrd } });
  const account = client.add('Account', mockAccount(PROJECT));
  const owned = { ownerReferences: ownedBy(account), labels: { [LABELS.managed]: 'true' } };
  client.add('Secret', {
    metadata: { namespace: PROJECT, name: 'odh-nim-account-pull', ...owned },
  });
  client.add('ConfigMap', {
    metadata: { namespace: PROJECT, name: 'odh-nim-account-cm', ...owned },
  });
  client.add('Secret', { metadata: { namespace: APPS, name: LEGACY.adminKeySecret } });
  client.add('Pod', {
    metadata: { namespace: PROJECT, name: 'llama-0' },
    spec: { imagePullSecrets: [{ name: 'odh-nim-account-pull' }] },
  });
  client.add('ServingRuntime', {
    metadata: {
      namespace: PROJECT,
      name: 'llama',
      annotations: { [ANNOTATIONS.templateName]: LEGACY.servingTemplate },
    },
  });
  client.add('DataScienceCluster', {
    metadata: { name: 'dsc' },
    spec: { components: { kserve: { nim: { managementState: 'Removed' } } } },
  });
  return { account };
}

function run(client: FakeResourceClient, dryRun = false): Promise<CleanupReport> {
  return cleanup({
    kubeConfig: new KubeConfig(),
    client,
    dryRun,
    applicationsNamespace: APPS,
    retry: noSleep,
  });
}

function asRealRun(entries: CleanupReportEntry[]): CleanupReportEntry[] {
  return entries.map((entry) => ({
    ...entry,
    status:
      entry.status === 'would-delete'
        ? 'deleted'
        : entry.status === 'would-change'
          ? 'changed'
          : entry.status,
  }));
}

describe('cleanup', () => {
  let client: FakeResourceClient;
  beforeEach(() => {
    client = new FakeResourceClient();
    client.missingKinds.add('Template');
  });

  it('dry run changes nothing, sends every write as a dry run, and lists what the run does', async () => {
    seed(client);
    const before = structuredClone([...client.objects.entries()]);
    const dry = await run(client, true);
    expect([...client.objects.entries()]).toEqual(before);
    const writes = client.calls.filter((call) => call.verb !== 'list' && call.verb !== 'get');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((call) => call.dryRun === true)).toBe(true);

    const real = await run(client);
    expect(real.failed).toBe(false);
    expect(asRealRun(dry.entries)).toEqual(real.entries);
    expect(dry.notes).toEqual(real.notes);
  });

  it('removes the old design, keeps the Secret in use without its ownerReference', async () => {
    seed(client);
    const report = await run(client);
    expect(report.summary).toMatchObject({ deleted: 4, changed: 2, kept: 2, failed: 0 });
    const pull = client.objects.get(`Secret/${PROJECT}/odh-nim-account-pull`);
    expect(pull?.metadata.ownerReferences).toBeUndefined();
    expect(client.objects.has(`Account/${PROJECT}/odh-nim-account`)).toBe(false);
    expect(client.objects.has(`CustomResourceDefinition//${LEGACY.accountCrd}`)).toBe(false);
    expect(client.objects.get(`ServingRuntime/${PROJECT}/llama`)?.metadata.annotations).toEqual({
      [ANNOTATIONS.templateName]: RUNTIME_TEMPLATE_HTTP,
    });
    expect(client.objects.get(`OdhDashboardConfig/${APPS}/${DASHBOARD_CONFIG_NAME}`)).toMatchObject(
      {
        spec: { dashboardConfig: { disableNIMModelServing: true } },
      },
    );
    // The schema still defines nim (it shows): left alone, the intent is in the dashboard.
    expect(client.objects.get('DataScienceCluster//dsc')).toMatchObject({
      spec: { components: { kserve: { nim: { managementState: 'Removed' } } } },
    });
    expect(report.entries.find((entry) => entry.kind === 'OdhDashboardConfig')).toMatchObject({
      status: 'changed',
      stored: { 'spec.dashboardConfig.disableNIMModelServing': true },
    });
    expect(report.notes).toContain('Template is not installed on this cluster: skipped.');
  });

  it('finds nothing to do on a second run, the kept NIM block aside', async () => {
    seed(client);
    await run(client);
    const second = await run(client);
    expect(second.nothingToDo).toBe(true);
    expect(second.entries.map((entry) => [entry.kind, entry.status, entry.changes])).toEqual([
      ['DataScienceCluster', 'kept', []],
    ]);
  });

  it('takes a 404 on a patch for an object already gone', async () => {
    seed(client);
    client.failWith = (call) => {
      if (call.verb === 'mergePatch' && call.ref.startsWith('ServingRuntime/')) {
        client.objects.delete(call.ref);
        return apiError(404, 'NotFound');
      }
      return undefined;
    };
    const report = await run(client);
    expect(report.failed).toBe(false);
    expect(report.entries.find((entry) => entry.kind === 'ServingRuntime')).toMatchObject({
      status: 'changed',
    });
  });

  it('fails, naming the field and the CRD patch, when the stored value is not the one sent', async () => {
    seed(client);
    client.add('DataScienceCluster', {
      metadata: { name: 'dsc' },
      spec: { components: { kserve: { nim: { airGapped: true } } } },
    });
    // A schema without spec.nimConfig, on a server that prunes instead of refusing.
    client.storeAs = (kind, object) => {
      const { nimConfig: _dropped, ...spec } =
        (object as { spec?: Record<string, unknown> }).spec ?? {};
      return kind === 'OdhDashboardConfig' ? { ...object, spec } : object;
    };
    const report = await run(client);
    expect(report.failed).toBe(true);
    const dashboard = report.entries.find((entry) => entry.kind === 'OdhDashboardConfig');
    expect(dashboard).toMatchObject({
      status: 'failed',
      stored: { 'spec.nimConfig.disableKeyValidation': null },
    });
    expect(dashboard?.error).toBe(
      'create with spec.nimConfig.disableKeyValidation: true: stored ' +
        'spec.nimConfig.disableKeyValidation is absent, not true: the OdhDashboardConfig CRD on ' +
        'this cluster does not define spec.nimConfig: apply the OdhDashboardConfig CRD patch in ' +
        'manifests/crd (manifests/crd/odhdashboardconfig-nimconfig.patch.yaml, which ' +
        'odh-dashboard ships next to odhdashboardconfigs.opendatahub.io), then run the cleanup again',
    );
  });

  it('explains a strict rejection of a field the schema lacks', async () => {
    seed(client);
    client.failWith = (call) =>
      call.verb === 'create' && call.ref.startsWith('OdhDashboardConfig/')
        ? apiError(
            400,
            'BadRequest',
            'OdhDashboardConfig in version "v1alpha" cannot be handled as a OdhDashboardConfig: strict decoding error: unknown field "spec.nimConfig"',
          )
        : undefined;
    client.add('DataScienceCluster', {
      metadata: { name: 'dsc' },
      spec: { components: { kserve: { nim: { airGapped: true } } } },
    });
    const report = await run(client);
    const dashboard = report.entries.find((entry) => entry.kind === 'OdhDashboardConfig');
    expect(dashboard?.status).toBe('failed');
    expect(dashboard?.error).toMatch(
      /^create with spec.nimConfig.disableKeyValidation: true: the OdhDashboardConfig CRD on this cluster does not define spec.nimConfig: apply the OdhDashboardConfig CRD patch in manifests\/crd .*\(HTTP 400 BadRequest: .*unknown field "spec.nimConfig"\)$/,
    );
    expect(dashboard?.stored).toBeUndefined();
  });

  it('retries a conflict on a read-modify-write', async () => {
    seed(client);
    let conflicts = 0;
    client.failWith = (call) =>
      call.verb === 'mergePatch' && call.ref.startsWith('Secret/') && conflicts++ === 0
        ? apiError(409, 'Conflict')
        : undefined;
    const report = await run(client);
    expect(conflicts).toBe(2);
    expect(report.failed).toBe(false);
  });

  it('does not delete an Account whose ownerReference could not be stripped', async () => {
    seed(client);
    client.failWith = (call) =>
      call.verb === 'mergePatch' && call.ref.startsWith('Secret/')
        ? apiError(403, 'Forbidden')
        : undefined;
    const report = await run(client);
    expect(report.failed).toBe(true);
    expect(client.objects.has(`Account/${PROJECT}/odh-nim-account`)).toBe(true);
    const account = report.entries.find((entry) => entry.kind === 'Account');
    expect(account?.status).toBe('not-attempted');
    expect(account?.error).toBeUndefined();
    expect(account?.blockedBy).toMatch(/waits for Secret project\/odh-nim-account-pull/);
    const crd = report.entries.find((entry) => entry.kind === 'CustomResourceDefinition');
    expect(crd?.status).toBe('not-attempted');
    expect(client.objects.has(`CustomResourceDefinition//${LEGACY.accountCrd}`)).toBe(true);
  });

  it('treats an object already deleted as deleted', async () => {
    seed(client);
    client.failWith = (call) => {
      if (call.verb === 'delete' && call.ref === `Secret/${APPS}/${LEGACY.adminKeySecret}`) {
        client.objects.delete(call.ref);
      }
      return undefined;
    };
    const report = await run(client);
    expect(report.entries.find((e) => e.name === LEGACY.adminKeySecret)?.status).toBe('deleted');
  });

  it('retries transient failures and reports what still failed', async () => {
    seed(client);
    let unavailable = 0;
    client.failWith = (call) => {
      if (call.verb !== 'delete') return undefined;
      if (call.ref.startsWith('ConfigMap/') && unavailable++ < 2)
        return apiError(503, 'ServiceUnavailable');
      if (call.ref.startsWith(`Secret/${APPS}/`))
        return apiError(403, 'Forbidden', 'secrets is forbidden');
      return undefined;
    };
    const report = await run(client);
    expect(report.entries.find((e) => e.kind === 'ConfigMap')?.status).toBe('deleted');
    const failed = report.entries.find((e) => e.name === LEGACY.adminKeySecret);
    expect(failed).toMatchObject({
      status: 'failed',
      error: 'delete: HTTP 403 Forbidden: secrets is forbidden',
    });
    expect(report.failed).toBe(true);
  });

  it('throws a read-failed UpgradeError when the cluster cannot be read', async () => {
    client.failWith = (call) =>
      call.verb === 'list' && call.ref.startsWith('Pod/') ? apiError(403, 'Forbidden') : undefined;
    await expect(run(client)).rejects.toMatchObject({ name: 'UpgradeError', code: 'read-failed' });
  });

  it('resolves the applications namespace from the DSCInitialization', async () => {
    client.add('DSCInitialization', {
      metadata: { name: 'default-dsci' },
      spec: { applicationsNamespace: 'rhoai' },
    });
    const report = await cleanup({ kubeConfig: new KubeConfig(), client });
    expect(report.applicationsNamespace).toEqual({ name: 'rhoai', source: 'dsci' });
  });
});
