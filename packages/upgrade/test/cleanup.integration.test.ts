import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import {
  ANNOTATIONS,
  API,
  DASHBOARD_CONFIG_NAME,
  LEGACY,
  NIM_SECRET_NAME,
  RUNTIME_TEMPLATE_HTTP,
} from '@odh-nim/contract';
import {
  CRD_PATCHES,
  applyCrdPatches,
  createTestNamespace,
  selectCrdSet,
  startControlPlane,
  type ControlPlane,
} from '@odh-nim/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cleanup, run, type CleanupReport, type CleanupReportEntry } from '../src/index.js';
import {
  DSC_NAME,
  OLD_ACCOUNT_PULL_SECRET,
  OLD_DSC_NIM,
  createOldCluster,
  describeKey,
  readObject,
  snapshotCluster,
  waitFor,
  waitForCollectorOnAccounts,
  type ObjectKey,
  type OldCluster,
} from './fixtures/old-cluster.js';

const DSC_GROUP = API.dataScienceCluster.group;
const dscKey = (version: string): ObjectKey => ({
  apiVersion: `${DSC_GROUP}/${version}`,
  kind: 'DataScienceCluster',
  name: DSC_NAME,
});
/** How long the garbage collector gets to act on the Accounts' deletion. */
const GC_GRACE_MS = 30_000;

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

/** `spec.components.kserve.nim` as the apiserver serves it in `version`. */
async function servedNim(kc: KubeConfig, version: string): Promise<unknown> {
  const dsc = (await readObject(kc, dscKey(version))) as {
    spec: { components: { kserve: Record<string, unknown> } };
  };
  return dsc.spec.components.kserve['nim'];
}

function silentIo(out: string[] = []) {
  return {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: () => true },
    env: {},
  };
}

// The cleanup is cluster-wide (every Account, the Account CRD, the DataScienceCluster), so it
// gets a control plane of its own rather than the shared one other tests use. Upstream CRDs
// (when ../shared has them) with odh-dashboard's nimConfig patch, and the operator's
// DataScienceCluster CRD as it is today: it still defines and defaults kserve.nim.
describe('cleanup of an old-architecture cluster', () => {
  let plane: ControlPlane;
  let kc: KubeConfig;
  let old: OldCluster;
  let namespaces: string[];
  let dryRun: CleanupReport;
  let userBefore: Map<string, unknown>;
  let unrelatedBefore: Map<string, unknown>;
  let dscBefore: unknown;
  let userAfterCleanup: Map<string, unknown>;
  let cleanedAt: number;

  beforeAll(async () => {
    plane = await startControlPlane({ crds: selectCrdSet().files });
    kc = plane.adminKubeConfig();
    await applyCrdPatches(kc, [CRD_PATCHES.dashboardConfigNimConfig]);
    await waitForCollectorOnAccounts(kc, await createTestNamespace(kc, 'gc-probe'));
    const layout = {
      applicationsNamespace: await createTestNamespace(kc, 'nim-apps'),
      projectA: await createTestNamespace(kc, 'project-a'),
      projectB: await createTestNamespace(kc, 'project-b'),
    };
    namespaces = Object.values(layout);
    old = await createOldCluster(kc, layout, { dashboardConfig: false });
    userBefore = await readAll(kc, old.user);
    unrelatedBefore = await readAll(kc, old.unrelated);
    dscBefore = await readObject(kc, dscKey('v2'));
  });

  /** User objects as one cleanup leaves them: unchanged but for what it had to change. */
  function expectAsCleanupLeavesThem(after: Map<string, unknown>): void {
    const { projectA, projectB } = old.layout;
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
    expect([...after.keys()]).toEqual([...userBefore.keys()]);
    for (const [key, before] of userBefore) {
      const object = after.get(key);
      expect(object, key).toBeDefined();
      const edit = changed.get(key);
      if (!edit) {
        expect(object, key).toEqual(before);
        continue;
      }
      const expected = withoutWriteMetadata(before);
      edit(expected);
      expect(withoutWriteMetadata(object), key).toEqual(expected);
    }
  }

  afterAll(async () => {
    await plane?.stop();
  });

  it('starts from the old design as its controller left it, on the upstream schema', async () => {
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
    expect(await servedNim(kc, 'v2')).toEqual(OLD_DSC_NIM);
    expect(await servedNim(kc, 'v1')).toEqual(OLD_DSC_NIM);
    expect(
      await readObject(kc, {
        apiVersion: `${API.dashboardConfig.group}/${API.dashboardConfig.version}`,
        kind: 'OdhDashboardConfig',
        namespace: apps,
        name: DASHBOARD_CONFIG_NAME,
      }),
    ).toBeUndefined();
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
      silentIo(out),
    );
    expect(code).toBe(0);
    const report = JSON.parse(out.join('')) as CleanupReport;
    expect(report.entries).toEqual(dryRun.entries);
    expect(report.applicationsNamespace.source).toBe('explicit');
  });

  it('removes the old design, does exactly what the dry run listed, keeps user objects', async () => {
    const { applicationsNamespace: apps, projectB } = old.layout;
    const report = await cleanup({ kubeConfig: kc, applicationsNamespace: apps });
    cleanedAt = Date.now();
    userAfterCleanup = await readAll(kc, old.user);
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
    expectAsCleanupLeavesThem(userAfterCleanup);
    const keptPull = report.entries.find(
      (e) => e.kind === 'Secret' && e.namespace === projectB && e.name === OLD_ACCOUNT_PULL_SECRET,
    );
    expect(keptPull).toMatchObject({
      status: 'kept',
      changes: [`remove ownerReference to Account ${projectB}/${LEGACY.defaultAccountName}`],
      stored: { 'metadata.ownerReferences': [] },
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
    expect(
      report.entries.find((e) => e.kind === 'ServingRuntime' && e.name === 'llama')?.stored,
    ).toEqual({ [`metadata.annotations.${ANNOTATIONS.templateName}`]: RUNTIME_TEMPLATE_HTTP });

    // The dashboard config did not exist: it was created with the admin's intent, as read back
    // from the server, and the report shows exactly those stored values.
    const dashboard = await readObject(kc, {
      apiVersion: `${API.dashboardConfig.group}/${API.dashboardConfig.version}`,
      kind: 'OdhDashboardConfig',
      namespace: apps,
      name: DASHBOARD_CONFIG_NAME,
    });
    expect(dashboard?.['spec']).toEqual({
      dashboardConfig: { disableNIMModelServing: true },
      nimConfig: { disableKeyValidation: true },
    });
    expect(report.entries[0]).toEqual({
      kind: 'OdhDashboardConfig',
      namespace: apps,
      name: DASHBOARD_CONFIG_NAME,
      status: 'changed',
      reasons: [],
      changes: [
        'create with spec.dashboardConfig.disableNIMModelServing: true, spec.nimConfig.disableKeyValidation: true',
      ],
      stored: {
        'spec.dashboardConfig.disableNIMModelServing': true,
        'spec.nimConfig.disableKeyValidation': true,
      },
    });

    // The served schema still defines nim: the DataScienceCluster is not written at all, and
    // the report says why.
    expect(await readObject(kc, dscKey('v2'))).toEqual(dscBefore);
    expect(report.entries.find((e) => e.kind === 'DataScienceCluster')).toEqual({
      kind: 'DataScienceCluster',
      name: DSC_NAME,
      status: 'kept',
      reasons: [
        `spec.components.kserve.nim kept: the served schema (${DSC_GROUP}/v2) still defines ` +
          'it, so the apiserver would default it back, and it is inert once the Account ' +
          "controller is gone; it goes with opendatahub-operator's CRD change " +
          '(manifests/crd/datasciencecluster-remove-nim.patch.yaml)',
        "the admin's choice (managementState: Removed, airGapped: true) is " +
          'spec.dashboardConfig.disableNIMModelServing: true, spec.nimConfig.disableKeyValidation: ' +
          `true in OdhDashboardConfig ${apps}/${DASHBOARD_CONFIG_NAME}`,
      ],
      changes: [],
    });

    // The new design's objects and unrelated ones in the applications namespace are untouched.
    const unrelatedAfter = await readAll(kc, old.unrelated);
    for (const [key, before] of unrelatedBefore) {
      expect(unrelatedAfter.get(key), key).toEqual(before);
    }
  });

  it(
    'under the real garbage collector, loses nothing a workload uses, at once and after 30 s',
    async () => {
      // At once is the check of the run above (userAfterCleanup). The collector watched
      // Accounts before the cleanup deleted them (beforeAll), so an ownerReference to one left
      // on a kept object would show here.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, cleanedAt + GC_GRACE_MS - Date.now())),
      );
      const later = await readAll(kc, old.user);
      expectAsCleanupLeavesThem(later);
      expect(later).toEqual(userAfterCleanup);
    },
    GC_GRACE_MS + 30_000,
  );

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
      silentIo(out),
      { loadKubeConfig: () => kc },
    );
    expect(code).toBe(0);
    expect(out.join('')).toContain('Nothing to do');
    const report = await cleanup({
      kubeConfig: kc,
      applicationsNamespace: old.layout.applicationsNamespace,
    });
    expect(report.nothingToDo).toBe(true);
    expect(report.entries.map((e) => [e.kind, e.name, e.status, e.changes])).toEqual([
      ['DataScienceCluster', DSC_NAME, 'kept', []],
    ]);
    expect(report.notes).toEqual(['Account is not installed on this cluster: skipped.']);
    expect(await snapshotCluster(kc, namespaces)).toEqual(before);
    expect(await servedNim(kc, 'v2')).toEqual(OLD_DSC_NIM);
  });

  it("once the operator's CRD drops kserve.nim, it is gone and stays gone", async () => {
    const apps = old.layout.applicationsNamespace;
    await applyCrdPatches(kc, [CRD_PATCHES.dataScienceClusterNoNim]);
    expect(await servedNim(kc, 'v2')).toBeUndefined();
    expect(await servedNim(kc, 'v1')).toBeUndefined();

    const report = await cleanup({ kubeConfig: kc, applicationsNamespace: apps });
    expect(report.nothingToDo).toBe(true);
    expect(report.entries).toEqual([]);

    // Another write to the DataScienceCluster (as the operator makes) brings no default back.
    await kc.makeApiClient(CustomObjectsApi).patchClusterCustomObject(
      {
        group: DSC_GROUP,
        version: 'v2',
        plural: API.dataScienceCluster.plural,
        name: DSC_NAME,
        body: { metadata: { labels: { 'example.com/touched': 'true' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(await servedNim(kc, 'v2')).toBeUndefined();
    expect((await cleanup({ kubeConfig: kc, applicationsNamespace: apps })).entries).toEqual([]);
    const dashboard = await readObject(kc, {
      apiVersion: `${API.dashboardConfig.group}/${API.dashboardConfig.version}`,
      kind: 'OdhDashboardConfig',
      namespace: apps,
      name: DASHBOARD_CONFIG_NAME,
    });
    expect(dashboard?.['spec']).toEqual({
      dashboardConfig: { disableNIMModelServing: true },
      nimConfig: { disableKeyValidation: true },
    });
  });
});
