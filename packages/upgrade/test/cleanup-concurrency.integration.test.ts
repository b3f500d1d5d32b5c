// Three `nim-upgrade cleanup` runs at once on the same old-design cluster (an operator's upgrade
// Job retried while an admin runs it by hand), 20 times over on the real control plane: every
// run exits 0 and the cluster ends as one cleanup leaves it.
import type { KubeConfig } from '@kubernetes/client-node';
import { ANNOTATIONS, API, DASHBOARD_CONFIG_NAME, RUNTIME_TEMPLATE_HTTP } from '@odh-nim/contract';
import {
  CRD_NAMES,
  CRD_PATCHES,
  applyCrdPatches,
  createTestNamespace,
  selectCrdSet,
  startControlPlane,
  type ControlPlane,
} from '@odh-nim/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { run, type CleanupReport } from '../src/index.js';
import {
  DSC_NAME,
  OLD_ACCOUNT_PULL_SECRET,
  OLD_DSC_NIM,
  createOldCluster,
  describeKey,
  readObject,
  waitFor,
  type ObjectKey,
} from './fixtures/old-cluster.js';

const ROUNDS = 20;
const AT_ONCE = 3;
const CRDS = selectCrdSet().paths;

async function cleanupCli(
  kc: KubeConfig,
  applicationsNamespace: string,
): Promise<{ code: number; report: CleanupReport | undefined; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(
    ['cleanup', '--applications-namespace', applicationsNamespace, '--output', 'json'],
    {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      env: {},
    },
    { loadKubeConfig: () => kc },
  );
  const text = out.join('');
  return {
    code,
    report: text.startsWith('{') ? (JSON.parse(text) as CleanupReport) : undefined,
    stderr: err.join(''),
  };
}

/** The object without what every write changes. */
function comparable(object: Record<string, unknown> | undefined): unknown {
  if (!object) return undefined;
  const {
    resourceVersion: _rv,
    managedFields: _mf,
    ...metadata
  } = object['metadata'] as Record<string, unknown>;
  return { ...object, metadata };
}

describe('three cleanups at once', () => {
  let plane: ControlPlane;
  let kc: KubeConfig;

  beforeAll(async () => {
    plane = await startControlPlane({ crds: selectCrdSet().files });
    kc = plane.adminKubeConfig();
    await applyCrdPatches(kc, [CRD_PATCHES.dashboardConfigNimConfig]);
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it(
    `always exit 0 with the expected end state, ${ROUNDS} times over`,
    async () => {
      for (let round = 1; round <= ROUNDS; round++) {
        // The previous round removed the Account CRD; the old design needs it back.
        if (round > 1) await plane.installCRDs([CRDS[CRD_NAMES.account]]);
        const layout = {
          applicationsNamespace: await createTestNamespace(kc, `apps-${round}`),
          projectA: await createTestNamespace(kc, `a-${round}`),
          projectB: await createTestNamespace(kc, `b-${round}`),
        };
        // The DataScienceCluster and DSCInitialization are cluster-wide: made once, and the
        // DataScienceCluster keeps its NIM block, so each round carries it again.
        const old = await createOldCluster(kc, layout, {
          dashboardConfig: false,
          clusterScoped: round === 1,
        });
        const userBefore = new Map<string, unknown>();
        for (const key of old.user) userBefore.set(describeKey(key), await readObject(kc, key));

        const runs = await Promise.all(
          Array.from({ length: AT_ONCE }, () => cleanupCli(kc, layout.applicationsNamespace)),
        );
        const failures = runs
          .filter((r) => r.code !== 0)
          .map((r) =>
            r.report
              ? r.report.entries
                  .filter((e) => e.status === 'failed' || e.status === 'not-attempted')
                  .map((e) => `${e.kind} ${e.name}: ${e.error ?? e.blockedBy}`)
              : r.stderr,
          );
        expect(failures, `round ${round}`).toEqual([]);

        // Old objects gone (the Account CRD's removal and the collector are asynchronous).
        for (const key of old.old) {
          await waitFor(
            `round ${round}: ${describeKey(key)} to be gone`,
            async () => !(await readObject(kc, key)),
          );
        }
        // User objects as one cleanup leaves them.
        const changed: Record<string, (object: Record<string, unknown>) => void> = {
          [`ServingRuntime ${layout.projectA}/llama`]: setTemplateName,
          [`ServingRuntime ${layout.projectB}/mistral`]: setTemplateName,
          [`Secret ${layout.projectB}/${OLD_ACCOUNT_PULL_SECRET}`]: (object) => {
            delete (object['metadata'] as Record<string, unknown>)['ownerReferences'];
          },
        };
        for (const key of old.user) {
          const before = structuredClone(userBefore.get(describeKey(key))) as Record<
            string,
            unknown
          >;
          changed[describeKey(key)]?.(before);
          expect(
            comparable(await readObject(kc, key)),
            `round ${round}: ${describeKey(key)}`,
          ).toEqual(comparable(before));
        }
        const dashboard = await readObject(kc, dashboardKey(layout.applicationsNamespace));
        expect(dashboard?.['spec'], `round ${round}`).toEqual({
          dashboardConfig: { disableNIMModelServing: true },
          nimConfig: { disableKeyValidation: true },
        });
        const dsc = (await readObject(kc, {
          apiVersion: `${API.dataScienceCluster.group}/v2`,
          kind: 'DataScienceCluster',
          name: DSC_NAME,
        })) as { spec: { components: { kserve: { nim: unknown } } } };
        expect(dsc.spec.components.kserve.nim).toEqual(OLD_DSC_NIM);

        const after = await cleanupCli(kc, layout.applicationsNamespace);
        expect(after.code).toBe(0);
        expect(after.report?.nothingToDo, `round ${round}`).toBe(true);
      }
    },
    ROUNDS * 60_000,
  );
});

function setTemplateName(object: Record<string, unknown>): void {
  const metadata = object['metadata'] as { annotations: Record<string, string> };
  metadata.annotations[ANNOTATIONS.templateName] = RUNTIME_TEMPLATE_HTTP;
}

function dashboardKey(namespace: string): ObjectKey {
  return {
    apiVersion: `${API.dashboardConfig.group}/${API.dashboardConfig.version}`,
    kind: 'OdhDashboardConfig',
    namespace,
    name: DASHBOARD_CONFIG_NAME,
  };
}
