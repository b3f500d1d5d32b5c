import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { KubeConfig } from '@kubernetes/client-node';
import {
  ANNOTATIONS,
  API,
  DASHBOARD_CONFIG_NAME,
  LEGACY,
  NIM_SECRET_NAME,
  RUNTIME_TEMPLATE_HTTP,
} from '@odh-nim/contract';
import {
  TEST_CRDS_DIR,
  createTestNamespace,
  startControlPlane,
  type ControlPlane,
} from '@odh-nim/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cleanup, run, type CleanupReport, type CleanupReportEntry } from '../src/index.js';
import {
  DSC_NAME,
  OLD_ACCOUNT_PULL_SECRET,
  createOldCluster,
  describeKey,
  readObject,
  snapshotCluster,
  waitFor,
  type ObjectKey,
  type OldCluster,
} from './fixtures/old-cluster.js';

const DSC_KEY: ObjectKey = {
  apiVersion: `${API.dataScienceCluster.group}/${API.dataScienceCluster.version}`,
  kind: 'DataScienceCluster',
  name: DSC_NAME,
};

/** A dry run's entries as the real run reports them. */
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

/** What a write changes besides the field it sets. */
function withoutWriteMetadata(object: unknown): Record<string, unknown> {
  const copy = structuredClone(object) as { metadata: Record<string, unknown> };
  delete copy.metadata['resourceVersion'];
  delete copy.metadata['managedFields'];
  return copy as unknown as Record<string, unknown>;
}

async function readAll(kc: KubeConfig, keys: ObjectKey[]): Promise<Map<string, unknown>> {
  const objects = new Map<string, unknown>();
  for (const key of keys) objects.set(describeKey(key), await readObject(kc, key));
  return objects;
}

// The cleanup is cluster-wide (every Account, the Account CRD, the DataScienceCluster), so it
// gets a control plane of its own rather than the shared one other tests use.
describe('cleanup of an old-architecture cluster', () => {
  let plane: ControlPlane;
  let kc: KubeConfig;
  let old: OldCluster;
  let namespaces: string[];
  let dryRun: CleanupReport;
  let userBefore: Map<string, unknown>;
  let unrelatedBefore: Map<string, unknown>;
  let dscBefore: unknown;

  beforeAll(async () => {
    plane = await startControlPlane({ crds: [TEST_CRDS_DIR] });
    kc = plane.adminKubeConfig();
    const layout = {
      applicationsNamespace: await createTestNamespace(kc, 'nim-apps'),
      projectA: await createTestNamespace(kc, 'project-a'),
      projectB: await createTestNamespace(kc, 'project-b'),
    };
    namespaces = Object.values(layout);
    old = await createOldCluster(kc, layout);
    userBefore = await readAll(kc, old.user);
    unrelatedBefore = await readAll(kc, old.unrelated);
    dscBefore = await readObject(kc, DSC_KEY);
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it('starts from the old design as its controller left it', async () => {
    const { applicationsNamespace: apps, projectB } = old.layout;
    const account = await readObject(kc, {
      apiVersion: `${API.account.group}/${API.account.version}`,
      kind: 'Account',
      namespace: apps,
      name: LEGACY.defaultAccountName,
    });
    expect(account).toMatchObject({
      metadata: { finalizers: [LEGACY.accountFinalizer] },
      spec: { apiKeySecret: { name: LEGACY.adminKeySecret } },
      status: { nimPullSecret: { name: OLD_ACCOUNT_PULL_SECRET } },
    });
    const pull = await readObject(kc, {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: projectB,
      name: OLD_ACCOUNT_PULL_SECRET,
    });
    expect(pull).toMatchObject({ metadata: { ownerReferences: [{ kind: 'Account' }] } });
    expect(old.old.length).toBeGreaterThanOrEqual(16);
  });

  it('--dry-run changes nothing, validated by the apiserver', async () => {
    const before = await snapshotCluster(kc, namespaces);
    // No explicit namespace: resolved from the DSCInitialization, as SPEC §2 orders.
    dryRun = await cleanup({ kubeConfig: kc, dryRun: true });
    expect(dryRun.applicationsNamespace).toEqual({
      name: old.layout.applicationsNamespace,
      source: 'dsci',
    });
    expect(dryRun.failed).toBe(false);
    expect(dryRun.summary.deleted + dryRun.summary.changed).toBe(0);
    expect(await snapshotCluster(kc, namespaces)).toEqual(before);
  });

  it('the CLI dry run reports the same as JSON and exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nim-upgrade-'));
    const kubeconfig = join(dir, 'kubeconfig');
    await plane.writeKubeconfig(kubeconfig);
    const out: string[] = [];
    const code = await run(
      [
        'cleanup',
        '--dry-run',
        '--kubeconfig',
        kubeconfig,
        '--applications-namespace',
        old.layout.applicationsNamespace,
        '--output',
        'json',
      ],
      { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true }, env: {} },
    );
    expect(code).toBe(0);
    const report = JSON.parse(out.join('')) as CleanupReport;
    expect(report.entries).toEqual(dryRun.entries);
    expect(report.applicationsNamespace.source).toBe('explicit');
  });

  it('removes the old design, does exactly what the dry run listed, keeps user objects', async () => {
    const { applicationsNamespace: apps, projectA, projectB } = old.layout;
    const report = await cleanup({ kubeConfig: kc, applicationsNamespace: apps });
    expect(report.failed).toBe(false);
    expect(asRealRun(dryRun.entries)).toEqual(report.entries);
    expect(report.notes).toEqual(dryRun.notes);

    // Every old object is gone, the Account CRD included (its removal is asynchronous).
    for (const key of old.old) {
      await waitFor(`${describeKey(key)} to be gone`, async () => !(await readObject(kc, key)));
    }
    const deleted = report.entries.filter((e) => e.status === 'deleted');
    expect(
      deleted.map((e) => `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}`).sort(),
    ).toEqual(old.old.map(describeKey).sort());

    // Every user-project object is as it was; two runtimes point at the new Template, and the
    // Account's pull Secret that a deployment uses lost its ownerReference.
    const userAfter = await readAll(kc, old.user);
    const changed = new Map<string, (before: Record<string, unknown>) => void>([
      [
        `ServingRuntime ${projectA}/llama`,
        (o) => {
          (o['metadata'] as { annotations: Record<string, string> }).annotations[
            ANNOTATIONS.templateName
          ] = RUNTIME_TEMPLATE_HTTP;
        },
      ],
      [
        `ServingRuntime ${projectB}/mistral`,
        (o) => {
          (o['metadata'] as { annotations: Record<string, string> }).annotations[
            ANNOTATIONS.templateName
          ] = RUNTIME_TEMPLATE_HTTP;
        },
      ],
      [
        `Secret ${projectB}/${OLD_ACCOUNT_PULL_SECRET}`,
        (o) => {
          delete (o['metadata'] as Record<string, unknown>)['ownerReferences'];
        },
      ],
    ]);
    expect([...userAfter.keys()]).toEqual([...userBefore.keys()]);
    for (const [key, before] of userBefore) {
      const after = userAfter.get(key);
      expect(after, key).toBeDefined();
      const edit = changed.get(key);
      if (!edit) {
        expect(after, key).toEqual(before);
        continue;
      }
      const expected = withoutWriteMetadata(before);
      edit(expected);
      expect(withoutWriteMetadata(after), key).toEqual(expected);
    }
    const keptPull = report.entries.find(
      (e) => e.kind === 'Secret' && e.namespace === projectB && e.name === OLD_ACCOUNT_PULL_SECRET,
    );
    expect(keptPull).toMatchObject({
      status: 'kept',
      changes: [`remove ownerReference to Account ${projectB}/${LEGACY.defaultAccountName}`],
    });
    expect(keptPull?.reasons[0]).toMatch(
      new RegExp(
        `^in use by ServingRuntime ${projectB}/mistral, Pod ${projectB}/mistral-predictor-`,
      ),
    );
    expect(
      report.entries.find((e) => e.namespace === projectB && e.name === NIM_SECRET_NAME),
    ).toMatchObject({
      status: 'kept',
      reasons: [
        'never deleted in a user project: NIM deployments there use it',
        expect.stringMatching(/^in use by ServingRuntime/),
        `referenced by Account ${projectB}/${LEGACY.defaultAccountName} (spec.apiKeySecret)`,
      ],
      changes: [],
    });

    // The DataScienceCluster lost its NIM block, and the dashboard carries the admin's intent;
    // nothing else of either changed.
    const dsc = await readObject(kc, DSC_KEY);
    const expectedDsc = structuredClone(dscBefore) as {
      spec: { components: { kserve: Record<string, unknown> } };
    };
    expect(expectedDsc.spec.components.kserve['nim']).toEqual({
      managementState: 'Removed',
      airGapped: true,
    });
    delete expectedDsc.spec.components.kserve['nim'];
    expect(dsc?.['spec']).toEqual(expectedDsc.spec);
    const dashboardKey = `OdhDashboardConfig ${apps}/${DASHBOARD_CONFIG_NAME}`;
    const dashboard = (await readAll(kc, old.unrelated)).get(dashboardKey) as {
      spec: Record<string, Record<string, unknown>>;
    };
    const expectedDashboard = structuredClone(unrelatedBefore.get(dashboardKey)) as {
      spec: Record<string, Record<string, unknown>>;
    };
    expectedDashboard.spec['dashboardConfig'] = {
      ...expectedDashboard.spec['dashboardConfig'],
      disableNIMModelServing: true,
    };
    expectedDashboard.spec['nimConfig'] = {
      ...expectedDashboard.spec['nimConfig'],
      disableKeyValidation: true,
    };
    expect(dashboard.spec).toEqual(expectedDashboard.spec);

    // The new design's objects and unrelated ones in the applications namespace are untouched.
    const unrelatedAfter = await readAll(kc, old.unrelated);
    for (const [key, before] of unrelatedBefore) {
      if (key === dashboardKey) continue;
      expect(unrelatedAfter.get(key), key).toEqual(before);
    }
  });

  it('a second run has nothing to do and says so', async () => {
    await waitFor(
      'the Account CRD to be gone',
      async () =>
        !(await readObject(kc, {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          name: LEGACY.accountCrd,
        })),
    );
    const before = await snapshotCluster(kc, namespaces);
    const out: string[] = [];
    const code = await run(
      ['cleanup', '--applications-namespace', old.layout.applicationsNamespace],
      {
        stdout: { write: (s: string) => out.push(s) },
        stderr: { write: () => true },
        env: {},
      },
      { loadKubeConfig: () => kc },
    );
    expect(code).toBe(0);
    expect(out.join('')).toContain('Nothing to do');
    const report = await cleanup({
      kubeConfig: kc,
      applicationsNamespace: old.layout.applicationsNamespace,
    });
    expect(report.nothingToDo).toBe(true);
    expect(report.entries).toEqual([]);
    expect(report.notes).toEqual(['Account is not installed on this cluster: skipped.']);
    expect(await snapshotCluster(kc, namespaces)).toEqual(before);
  });
});
