// The cleanup on the two cluster states the redesign's CRD patches (manifests/crd) leave: the
// operator's DataScienceCluster CRD already without kserve.nim when the cleanup runs, and
// odh-dashboard's OdhDashboardConfig CRD still without nimConfig. Each on a control plane of its
// own with the upstream CRDs (when ../shared has them), one after the other.
import type { KubeConfig } from '@kubernetes/client-node';
import { API, DASHBOARD_CONFIG_NAME, LEGACY } from '@odh-nim/contract';
import {
  CRD_PATCHES,
  applyCrdPatches,
  createTestNamespace,
  selectCrdSet,
  startControlPlane,
  type ControlPlane,
} from '@odh-nim/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  formatCleanupReport,
  run,
  type CleanupReport,
  type CleanupReportEntry,
} from '../src/index.js';
import {
  DSC_NAME,
  OLD_DSC_NIM,
  createOldCluster,
  readObject,
  waitFor,
  type ObjectKey,
  type OldCluster,
} from './fixtures/old-cluster.js';

const DASHBOARD_KEY = (namespace: string): ObjectKey => ({
  apiVersion: `${API.dashboardConfig.group}/${API.dashboardConfig.version}`,
  kind: 'OdhDashboardConfig',
  namespace,
  name: DASHBOARD_CONFIG_NAME,
});
const INTENT_SPEC = {
  dashboardConfig: { disableNIMModelServing: true },
  nimConfig: { disableKeyValidation: true },
};
const STORED_INTENT = {
  'spec.dashboardConfig.disableNIMModelServing': true,
  'spec.nimConfig.disableKeyValidation': true,
};
const API_VERSIONS: Record<string, string> = {
  Secret: 'v1',
  ConfigMap: 'v1',
  Pod: 'v1',
  CronJob: 'batch/v1',
  Job: 'batch/v1',
  Template: `${API.template.group}/${API.template.version}`,
  ServingRuntime: `${API.servingRuntime.group}/${API.servingRuntime.version}`,
  Account: `${API.account.group}/${API.account.version}`,
  OdhDashboardConfig: `${API.dashboardConfig.group}/${API.dashboardConfig.version}`,
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
};

function keyOfEntry(entry: CleanupReportEntry): ObjectKey {
  return {
    apiVersion: API_VERSIONS[entry.kind] ?? 'v1',
    kind: entry.kind,
    name: entry.name,
    ...(entry.namespace ? { namespace: entry.namespace } : {}),
  };
}

/** A field of a stored object by the report's path (`metadata.annotations.<key>`, `spec.a.b`). */
function fieldAt(object: Record<string, unknown> | undefined, path: string): unknown {
  const metadata = (object?.['metadata'] ?? {}) as Record<string, unknown>;
  if (path.startsWith('metadata.annotations.')) {
    const annotations = (metadata['annotations'] ?? {}) as Record<string, string>;
    return annotations[path.slice('metadata.annotations.'.length)] ?? null;
  }
  if (path === 'metadata.ownerReferences') {
    const owners = (metadata['ownerReferences'] ?? []) as { kind: string; name: string }[];
    return owners.map((owner) => `${owner.kind} ${owner.name}`);
  }
  if (path === 'metadata.finalizers') return metadata['finalizers'] ?? [];
  let value: unknown = object;
  for (const part of path.split('.')) value = (value as Record<string, unknown>)?.[part];
  return value ?? null;
}

/** What the report says was done is on the server: deleted objects gone, stored values stored. */
async function expectReportedAsStored(kc: KubeConfig, report: CleanupReport): Promise<void> {
  for (const entry of report.entries) {
    const key = keyOfEntry(entry);
    if (entry.status === 'deleted') {
      await waitFor(
        `${entry.kind} ${entry.name} to be gone`,
        async () => !(await readObject(kc, key)),
      );
    }
    if (entry.stored) {
      const object = await readObject(kc, key);
      for (const [path, value] of Object.entries(entry.stored)) {
        expect(fieldAt(object, path), `${entry.kind} ${entry.name} ${path}`).toEqual(value);
      }
    }
  }
}

async function cleanupCli(
  kc: KubeConfig,
  applicationsNamespace: string,
): Promise<{ code: number; report: CleanupReport }> {
  const out: string[] = [];
  const code = await run(
    ['cleanup', '--applications-namespace', applicationsNamespace, '--output', 'json'],
    { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true }, env: {} },
    { loadKubeConfig: () => kc },
  );
  return { code, report: JSON.parse(out.join('')) as CleanupReport };
}

async function servedNim(kc: KubeConfig, version: string): Promise<unknown> {
  const dsc = (await readObject(kc, {
    apiVersion: `${API.dataScienceCluster.group}/${version}`,
    kind: 'DataScienceCluster',
    name: DSC_NAME,
  })) as { spec: { components: { kserve: Record<string, unknown> } } };
  return dsc.spec.components.kserve['nim'];
}

async function startOldCluster(
  patches: (typeof CRD_PATCHES)[keyof typeof CRD_PATCHES][],
  options: { appliedWithKubectl: boolean },
): Promise<{ plane: ControlPlane; kc: KubeConfig; old: OldCluster }> {
  const plane = await startControlPlane({ crds: selectCrdSet().files });
  const kc = plane.adminKubeConfig();
  await applyCrdPatches(kc, patches);
  const layout = {
    applicationsNamespace: await createTestNamespace(kc, 'nim-apps'),
    projectA: await createTestNamespace(kc, 'project-a'),
    projectB: await createTestNamespace(kc, 'project-b'),
  };
  const old = await createOldCluster(kc, layout, { dashboardConfig: false, ...options });
  return { plane, kc, old };
}

describe("cleanup after the operator's CRD dropped kserve.nim", () => {
  let plane: ControlPlane;
  let kc: KubeConfig;
  let old: OldCluster;

  beforeAll(async () => {
    // The admin applied the DataScienceCluster with kubectl; then the operator's upgrade
    // installed its new CRD before the cleanup ran.
    ({ plane, kc, old } = await startOldCluster([CRD_PATCHES.dashboardConfigNimConfig], {
      appliedWithKubectl: true,
    }));
    await applyCrdPatches(kc, [CRD_PATCHES.dataScienceClusterNoNim]);
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it('sees no nim any more: the apiserver prunes it from the object stored earlier', async () => {
    expect(await servedNim(kc, 'v2')).toBeUndefined();
    expect(await servedNim(kc, 'v1')).toBeUndefined();
  });

  it("still carries the admin's intent, from what kubectl last applied, and stores it", async () => {
    const apps = old.layout.applicationsNamespace;
    const { code, report } = await cleanupCli(kc, apps);
    expect(code).toBe(0);
    expect(report.failed).toBe(false);
    expect(report.entries.find((e) => e.kind === 'OdhDashboardConfig')).toMatchObject({
      status: 'changed',
      stored: STORED_INTENT,
    });
    expect(report.entries.find((e) => e.kind === 'DataScienceCluster')).toBeUndefined();
    expect(report.notes).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^DataScienceCluster ${DSC_NAME}: spec.components.kserve.nim is no longer in the served schema .*last-applied-configuration annotation: the admin's choice \\(managementState: Removed, airGapped: true\\)`,
        ),
      ),
    );
    expect((await readObject(kc, DASHBOARD_KEY(apps)))?.['spec']).toEqual(INTENT_SPEC);
    await expectReportedAsStored(kc, report);
  });

  it('a second run has nothing to do, and nim stays gone', async () => {
    const apps = old.layout.applicationsNamespace;
    await waitFor('the Account CRD to be gone', async () => {
      const crd = await readObject(kc, {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: LEGACY.accountCrd,
      });
      return crd === undefined;
    });
    const { code, report } = await cleanupCli(kc, apps);
    expect(code).toBe(0);
    expect(report.nothingToDo).toBe(true);
    expect(report.entries).toEqual([]);
    expect(formatCleanupReport(report)).toContain('Nothing to do');
    expect(await servedNim(kc, 'v2')).toBeUndefined();
    expect((await readObject(kc, DASHBOARD_KEY(apps)))?.['spec']).toEqual(INTENT_SPEC);
  });
});

describe('cleanup where the OdhDashboardConfig CRD cannot hold nimConfig', () => {
  let plane: ControlPlane;
  let kc: KubeConfig;
  let old: OldCluster;

  beforeAll(async () => {
    ({ plane, kc, old } = await startOldCluster([], { appliedWithKubectl: false }));
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it('fails with a non-zero exit that names the missing schema and the patch', async () => {
    const apps = old.layout.applicationsNamespace;
    const { code, report } = await cleanupCli(kc, apps);
    expect(code).toBe(1);
    const dashboard = report.entries.find((e) => e.kind === 'OdhDashboardConfig');
    expect(dashboard?.status).toBe('failed');
    expect(dashboard?.stored).toBeUndefined();
    expect(dashboard?.error).toMatch(
      /the OdhDashboardConfig CRD on this cluster does not define spec\.nimConfig: apply the OdhDashboardConfig CRD patch in manifests\/crd \(manifests\/crd\/odhdashboardconfig-nimconfig\.patch\.yaml/,
    );
    expect(formatCleanupReport(report)).toContain(
      'manifests/crd/odhdashboardconfig-nimconfig.patch.yaml',
    );

    // Nothing is reported as done that was not stored.
    expect(await readObject(kc, DASHBOARD_KEY(apps))).toBeUndefined();
    const done = report.entries.filter((e) => e.status === 'deleted' || e.status === 'changed');
    expect(done.length).toBeGreaterThan(0);
    await expectReportedAsStored(kc, report);
    // The choice is not lost: the DataScienceCluster still holds it.
    expect(await servedNim(kc, 'v2')).toEqual(OLD_DSC_NIM);
  });

  it('succeeds once odh-dashboard’s patch is applied, then has nothing to do', async () => {
    const apps = old.layout.applicationsNamespace;
    await applyCrdPatches(kc, [CRD_PATCHES.dashboardConfigNimConfig]);
    const fixed = await cleanupCli(kc, apps);
    expect(fixed.code).toBe(0);
    expect(fixed.report.entries.find((e) => e.kind === 'OdhDashboardConfig')).toMatchObject({
      status: 'changed',
      stored: STORED_INTENT,
    });
    expect((await readObject(kc, DASHBOARD_KEY(apps)))?.['spec']).toEqual(INTENT_SPEC);
    await expectReportedAsStored(kc, fixed.report);

    await waitFor('the Account CRD to be gone', async () => {
      const crd = await readObject(kc, {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: LEGACY.accountCrd,
      });
      return crd === undefined;
    });
    const again = await cleanupCli(kc, apps);
    expect(again.code).toBe(0);
    expect(again.report.nothingToDo).toBe(true);
  });
});
