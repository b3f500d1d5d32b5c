import {
  ANNOTATIONS,
  DASHBOARD_CONFIG_NAME,
  LABELS,
  LEGACY,
  MODELS_CONFIGMAP_NAME,
  NIM_PULL_SECRET_NAME,
  NIM_SECRET_NAME,
  RUNTIME_TEMPLATE_HTTP,
} from '@odh-nim/contract';
import { describe, expect, it } from 'vitest';

import type { KubeObject } from '../k8s/objects.js';
import {
  APPS,
  mockAccount,
  mockNamespace,
  mockObject,
  mockSnapshot,
  ownedBy,
} from './mock-snapshot.js';
import {
  findUsers,
  oldTemplateNames,
  planCleanup,
  protectionOf,
  type CleanupAction,
  type CleanupPlan,
} from './plan.js';

const PROJECT = 'user-project';
const MANAGED = { [LABELS.managed]: 'true' };

function ids(plan: CleanupPlan): string[] {
  return plan.actions.map((action) => action.id);
}

function action(plan: CleanupPlan, id: string): CleanupAction {
  const found = plan.actions.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${id} in ${ids(plan).join(', ')}`);
  return found;
}

function keptReasons(plan: CleanupPlan, kind: string, namespace: string, name: string): string[] {
  return (
    plan.kept.find(
      (k) => k.target.kind === kind && k.target.namespace === namespace && k.target.name === name,
    )?.reasons ?? []
  );
}

function podUsing(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return mockObject(namespace, name, { extra: { spec, status: { phase: 'Running' } } });
}

describe('planCleanup', () => {
  it('plans nothing for a cluster without the old design', () => {
    const plan = planCleanup(mockSnapshot());
    expect(plan.actions).toEqual([]);
    expect(plan.kept).toEqual([]);
    expect(plan.notes).toEqual([]);
  });

  it('deletes the applications namespace Account, what it owns and refers to, then the CRD', () => {
    const account = mockAccount(APPS);
    const owned = { ownerReferences: ownedBy(account), labels: MANAGED };
    const plan = planCleanup(
      mockSnapshot({
        accountCrd: mockObject(undefined, LEGACY.accountCrd),
        accounts: [account],
        namespaces: {
          [APPS]: mockNamespace({
            secrets: [
              mockObject(APPS, LEGACY.adminKeySecret),
              mockObject(APPS, 'odh-nim-account-pull', owned),
            ],
            configMaps: [mockObject(APPS, 'odh-nim-account-cm', owned)],
            templates: [mockObject(APPS, 'odh-nim-account-template', owned)],
          }),
        },
      }),
    );
    expect(ids(plan)).toEqual([
      `delete:Secret/${APPS}/odh-nim-account-pull`,
      `delete:ConfigMap/${APPS}/odh-nim-account-cm`,
      `delete:Template/${APPS}/odh-nim-account-template`,
      `delete:Secret/${APPS}/${LEGACY.adminKeySecret}`,
      `remove-finalizer:Account/${APPS}/odh-nim-account`,
      `delete:Account/${APPS}/odh-nim-account`,
      `delete:CustomResourceDefinition//${LEGACY.accountCrd}`,
    ]);
    expect(action(plan, `delete:Secret/${APPS}/odh-nim-account-pull`)).toMatchObject({
      uid: `uid-${APPS}-odh-nim-account-pull`,
      reasons: [
        `owned by Account ${APPS}/odh-nim-account`,
        `referenced by Account ${APPS}/odh-nim-account (status.nimPullSecret)`,
      ],
    });
    expect(action(plan, `delete:Secret/${APPS}/${LEGACY.adminKeySecret}`)).toMatchObject({
      reasons: [
        `referenced by Account ${APPS}/odh-nim-account (spec.apiKeySecret)`,
        'fixed-name object of the old design',
      ],
    });
    expect(action(plan, `delete:Account/${APPS}/odh-nim-account`).after).toEqual([
      `remove-finalizer:Account/${APPS}/odh-nim-account`,
    ]);
    expect(action(plan, `delete:CustomResourceDefinition//${LEGACY.accountCrd}`).after).toEqual([
      `delete:Account/${APPS}/odh-nim-account`,
    ]);
    expect(plan.kept).toEqual([]);
  });

  it('keeps an owned Secret a Pod still uses, strips its ownerReference before the Account goes', () => {
    const account = mockAccount(PROJECT);
    const pull = mockObject(PROJECT, 'odh-nim-account-pull', {
      ownerReferences: ownedBy(account),
      labels: MANAGED,
    });
    const plan = planCleanup(
      mockSnapshot({
        accounts: [account],
        namespaces: {
          [APPS]: mockNamespace(),
          [PROJECT]: mockNamespace({
            secrets: [pull],
            pods: [
              podUsing(PROJECT, 'mistral-0', { imagePullSecrets: [{ name: pull.metadata.name }] }),
            ],
          }),
        },
      }),
    );
    const stripId = `remove-owner-references:Secret/${PROJECT}/odh-nim-account-pull`;
    expect(action(plan, stripId)).toMatchObject({
      type: 'remove-owner-references',
      ownerUids: [account.metadata.uid],
      summary: `remove ownerReference to Account ${PROJECT}/odh-nim-account`,
    });
    expect(ids(plan)).not.toContain(`delete:Secret/${PROJECT}/odh-nim-account-pull`);
    expect(ids(plan).indexOf(stripId)).toBeLessThan(
      ids(plan).indexOf(`delete:Account/${PROJECT}/odh-nim-account`),
    );
    expect(action(plan, `remove-finalizer:Account/${PROJECT}/odh-nim-account`).after).toEqual([
      stripId,
    ]);
    expect(action(plan, `delete:Account/${PROJECT}/odh-nim-account`).after).toEqual([
      stripId,
      `remove-finalizer:Account/${PROJECT}/odh-nim-account`,
    ]);
    expect(keptReasons(plan, 'Secret', PROJECT, 'odh-nim-account-pull')[0]).toBe(
      `in use by Pod ${PROJECT}/mistral-0`,
    );
  });

  it('never deletes nvidia-nim-secrets, ngc-secret or nvidia-nim-image-pull in a user project', () => {
    const account = mockAccount(PROJECT, 'odh-nim-account', {
      spec: { apiKeySecret: { name: NIM_SECRET_NAME } },
      status: {
        nimPullSecret: { name: LEGACY.userProjectSecret },
        nimConfig: null,
        runtimeTemplate: null,
      },
    });
    const owned = { ownerReferences: ownedBy(account), labels: MANAGED };
    const plan = planCleanup(
      mockSnapshot({
        accounts: [account],
        namespaces: {
          [APPS]: mockNamespace(),
          [PROJECT]: mockNamespace({
            secrets: [
              mockObject(PROJECT, NIM_SECRET_NAME, { labels: MANAGED }),
              mockObject(PROJECT, LEGACY.userProjectSecret, owned),
              mockObject(PROJECT, NIM_PULL_SECRET_NAME, owned),
            ],
          }),
        },
      }),
    );
    const deletes = plan.actions.filter((a) => a.type === 'delete').map((a) => a.target.name);
    expect(deletes).toEqual(['odh-nim-account']);
    for (const name of [NIM_SECRET_NAME, LEGACY.userProjectSecret, NIM_PULL_SECRET_NAME]) {
      expect(keptReasons(plan, 'Secret', PROJECT, name)[0]).toBe(
        'never deleted in a user project: NIM deployments there use it',
      );
    }
    // The two owned ones lose the ownerReference, so the garbage collector leaves them alone.
    expect(ids(plan)).toContain(
      `remove-owner-references:Secret/${PROJECT}/${LEGACY.userProjectSecret}`,
    );
    expect(ids(plan)).toContain(
      `remove-owner-references:Secret/${PROJECT}/${NIM_PULL_SECRET_NAME}`,
    );
    expect(ids(plan)).not.toContain(`remove-owner-references:Secret/${PROJECT}/${NIM_SECRET_NAME}`);
  });

  it('keeps what an Account refers to but the old design did not create', () => {
    const account = mockAccount(PROJECT, 'acc', {
      spec: { apiKeySecret: { name: 'my-own-key' } },
      status: {},
    });
    const plan = planCleanup(
      mockSnapshot({
        accounts: [account],
        namespaces: {
          [APPS]: mockNamespace(),
          [PROJECT]: mockNamespace({ secrets: [mockObject(PROJECT, 'my-own-key')] }),
        },
      }),
    );
    expect(keptReasons(plan, 'Secret', PROJECT, 'my-own-key')).toEqual([
      `not created by the old design (no Account ownerReference, no ${LABELS.managed} label)`,
      `referenced by Account ${PROJECT}/acc (spec.apiKeySecret)`,
    ]);
  });

  it('follows a reference into another namespace', () => {
    const account = mockAccount(PROJECT, 'acc', {
      spec: { apiKeySecret: { name: LEGACY.adminKeySecret, namespace: APPS } },
      status: {},
    });
    const plan = planCleanup(
      mockSnapshot({
        accounts: [account],
        namespaces: {
          [APPS]: mockNamespace({ secrets: [mockObject(APPS, LEGACY.adminKeySecret)] }),
          [PROJECT]: mockNamespace(),
        },
      }),
    );
    expect(action(plan, `delete:Secret/${APPS}/${LEGACY.adminKeySecret}`)).toMatchObject({
      reasons: [
        `referenced by Account ${PROJECT}/acc (spec.apiKeySecret)`,
        'fixed-name object of the old design',
      ],
    });
  });

  it('deletes the fixed old names in the applications namespace only', () => {
    const fixed = (ns: string): Partial<ReturnType<typeof mockNamespace>> => ({
      secrets: [mockObject(ns, LEGACY.adminKeySecret), mockObject(ns, LEGACY.pullSecret)],
      configMaps: [
        mockObject(ns, LEGACY.imagesConfigMap),
        mockObject(ns, LEGACY.validationResultConfigMap),
        mockObject(ns, MODELS_CONFIGMAP_NAME),
      ],
      templates: [mockObject(ns, LEGACY.servingTemplate), mockObject(ns, RUNTIME_TEMPLATE_HTTP)],
      cronJobs: [mockObject(ns, LEGACY.validatorCronJob)],
    });
    const plan = planCleanup(
      mockSnapshot({
        namespaces: {
          [APPS]: mockNamespace(fixed(APPS)),
          [PROJECT]: mockNamespace(fixed(PROJECT)),
        },
      }),
    );
    expect(
      plan.actions.map((a) => `${a.target.kind} ${a.target.namespace}/${a.target.name}`),
    ).toEqual([
      `Secret ${APPS}/${LEGACY.adminKeySecret}`,
      `Secret ${APPS}/${LEGACY.pullSecret}`,
      `ConfigMap ${APPS}/${LEGACY.imagesConfigMap}`,
      `ConfigMap ${APPS}/${LEGACY.validationResultConfigMap}`,
      `Template ${APPS}/${LEGACY.servingTemplate}`,
      `CronJob ${APPS}/${LEGACY.validatorCronJob}`,
    ]);
    expect(plan.kept).toEqual([]);
  });

  it("deletes the validator's Jobs and their Pods, which do not keep the admin key", () => {
    const cronJob = mockObject(APPS, LEGACY.validatorCronJob);
    const job = mockObject(APPS, `${LEGACY.validatorCronJob}-1`, {
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'CronJob', name: LEGACY.validatorCronJob, uid: 'c' },
      ],
    });
    const pod = mockObject(APPS, `${LEGACY.validatorCronJob}-1-abc`, {
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: 'j' }],
      extra: {
        spec: { containers: [{ envFrom: [{ secretRef: { name: LEGACY.adminKeySecret } }] }] },
        status: { phase: 'Running' },
      },
    });
    const plan = planCleanup(
      mockSnapshot({
        namespaces: {
          [APPS]: mockNamespace({
            secrets: [mockObject(APPS, LEGACY.adminKeySecret)],
            cronJobs: [cronJob],
            jobs: [job],
            pods: [pod],
          }),
        },
      }),
    );
    expect(plan.actions.map((a) => `${a.target.kind}/${a.target.name}`)).toEqual([
      `Secret/${LEGACY.adminKeySecret}`,
      `CronJob/${LEGACY.validatorCronJob}`,
      `Job/${job.metadata.name}`,
      `Pod/${pod.metadata.name}`,
    ]);
  });

  it('keeps a fixed-name Secret a running Pod uses, but not one a finished Pod used', () => {
    const snapshot = (phase: string): ReturnType<typeof mockSnapshot> =>
      mockSnapshot({
        namespaces: {
          [APPS]: mockNamespace({
            secrets: [mockObject(APPS, LEGACY.pullSecret)],
            pods: [
              mockObject(APPS, 'some-pod', {
                extra: {
                  spec: { imagePullSecrets: [{ name: LEGACY.pullSecret }] },
                  status: { phase },
                },
              }),
            ],
          }),
        },
      });
    expect(planCleanup(snapshot('Running')).actions).toEqual([]);
    expect(
      keptReasons(planCleanup(snapshot('Running')), 'Secret', APPS, LEGACY.pullSecret),
    ).toEqual([`in use by Pod ${APPS}/some-pod`, 'fixed-name object of the old design']);
    expect(ids(planCleanup(snapshot('Succeeded')))).toEqual([
      `delete:Secret/${APPS}/${LEGACY.pullSecret}`,
    ]);
  });

  it('keeps the new design objects even when an Account refers to them', () => {
    const account = mockAccount(APPS, 'acc', {
      spec: { apiKeySecret: { name: 'missing' } },
      status: {
        nimConfig: { name: MODELS_CONFIGMAP_NAME },
        runtimeTemplate: { name: RUNTIME_TEMPLATE_HTTP },
      },
    });
    const plan = planCleanup(
      mockSnapshot({
        accounts: [account],
        namespaces: {
          [APPS]: mockNamespace({
            configMaps: [mockObject(APPS, MODELS_CONFIGMAP_NAME, { labels: MANAGED })],
            templates: [mockObject(APPS, RUNTIME_TEMPLATE_HTTP, { labels: MANAGED })],
          }),
        },
      }),
    );
    expect(plan.actions.filter((a) => a.target.kind !== 'Account')).toEqual([]);
    expect(keptReasons(plan, 'ConfigMap', APPS, MODELS_CONFIGMAP_NAME)[0]).toBe(
      'part of the new NIM integration',
    );
  });

  it('points ServingRuntimes that name an old Template at the new one', () => {
    const runtime = (name: string, template?: string): KubeObject =>
      mockObject(PROJECT, name, {
        annotations: template ? { [ANNOTATIONS.templateName]: template } : {},
      });
    const plan = planCleanup(
      mockSnapshot({
        accounts: [mockAccount(APPS, 'custom')],
        namespaces: {
          [APPS]: mockNamespace(),
          [PROJECT]: mockNamespace({
            servingRuntimes: [
              runtime('a', LEGACY.servingTemplate),
              runtime('b', 'odh-nim-account-template'),
              runtime('c', 'custom-template'),
              runtime('d', RUNTIME_TEMPLATE_HTTP),
              runtime('e', 'vllm-runtime-template'),
              runtime('f'),
            ],
          }),
        },
      }),
    );
    const repoints = plan.actions.filter((a) => a.type === 'set-template-name');
    expect(repoints.map((a) => [a.target.name, a.summary])).toEqual([
      [
        'a',
        `set ${ANNOTATIONS.templateName}: ${LEGACY.servingTemplate} → ${RUNTIME_TEMPLATE_HTTP}`,
      ],
      ['b', `set ${ANNOTATIONS.templateName}: odh-nim-account-template → ${RUNTIME_TEMPLATE_HTTP}`],
      ['c', `set ${ANNOTATIONS.templateName}: custom-template → ${RUNTIME_TEMPLATE_HTTP}`],
    ]);
    expect(ids(plan)[0]).toBe(`set-template-name:ServingRuntime/${PROJECT}/a`);
  });

  it('removes a stuck Account: finalizer first, then the delete', () => {
    const stuck = mockAccount(APPS, 'stuck', {
      metadata: {
        ...mockAccount(APPS, 'stuck').metadata,
        deletionTimestamp: '2025-01-01T00:00:00Z',
        finalizers: [LEGACY.accountFinalizer, 'example.com/other'],
      },
      status: {},
    });
    const plan = planCleanup(mockSnapshot({ accounts: [stuck] }));
    expect(ids(plan)).toEqual([
      `remove-finalizer:Account/${APPS}/stuck`,
      `delete:Account/${APPS}/stuck`,
    ]);
    expect(action(plan, `delete:Account/${APPS}/stuck`)).toMatchObject({
      reasons: ['Account of the old design, stuck in deletion on its finalizer'],
    });
    expect(plan.notes).toEqual([
      `Account ${APPS}/stuck also has finalizers example.com/other: it is gone once their controllers release it.`,
    ]);
  });

  it('leaves an object that is already being deleted to its finalizers', () => {
    const plan = planCleanup(
      mockSnapshot({
        namespaces: {
          [APPS]: mockNamespace({
            secrets: [
              mockObject(APPS, LEGACY.pullSecret, { deletionTimestamp: '2025-01-01T00:00:00Z' }),
            ],
          }),
        },
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.notes).toEqual([
      `Secret ${APPS}/${LEGACY.pullSecret} is already being deleted: left to its finalizers.`,
    ]);
  });

  it('keeps the Account CRD with keepAccountCrd, and leaves one being deleted alone', () => {
    const crd = mockObject(undefined, LEGACY.accountCrd);
    const kept = planCleanup(mockSnapshot({ accountCrd: crd }), { keepAccountCrd: true });
    expect(kept.actions).toEqual([]);
    expect(kept.kept).toEqual([
      {
        target: { kind: 'CustomResourceDefinition', name: LEGACY.accountCrd },
        reasons: ['kept as asked (--keep-account-crd)'],
      },
    ]);
    const deleting = planCleanup(
      mockSnapshot({
        accountCrd: { ...crd, metadata: { ...crd.metadata, deletionTimestamp: 'x' } },
      }),
    );
    expect(deleting.actions).toEqual([]);
    expect(deleting.notes).toEqual([
      `CustomResourceDefinition ${LEGACY.accountCrd} is already being deleted.`,
    ]);
  });

  it('notes the kinds that are not installed', () => {
    const plan = planCleanup(mockSnapshot({ missingKinds: ['Account', 'Template'] }));
    expect(plan.notes).toEqual([
      'Account is not installed on this cluster: skipped.',
      'Template is not installed on this cluster: skipped.',
    ]);
  });
});

describe('planCleanup: DataScienceCluster', () => {
  const dsc = (
    nim: Record<string, unknown> | undefined,
    annotations?: Record<string, string>,
  ): ReturnType<typeof mockObject> =>
    mockObject(undefined, 'default-dsc', {
      ...(annotations ? { annotations } : {}),
      extra: {
        spec: { components: { kserve: { managementState: 'Managed', ...(nim ? { nim } : {}) } } },
      },
    });
  const dashboard = (spec: Record<string, unknown>): ReturnType<typeof mockObject> =>
    mockObject(APPS, DASHBOARD_CONFIG_NAME, { extra: { spec } });
  const configureId = `configure-dashboard:OdhDashboardConfig/${APPS}/${DASHBOARD_CONFIG_NAME}`;
  const dscReasons = (plan: CleanupPlan): string[] =>
    plan.kept.find((k) => k.target.kind === 'DataScienceCluster')?.reasons ?? [];

  it('carries Removed and airGapped to the dashboard config first, and keeps the block', () => {
    const account = mockAccount(APPS);
    const plan = planCleanup(
      mockSnapshot({
        accounts: [account],
        dataScienceClusters: [dsc({ managementState: 'Removed', airGapped: true })],
        dashboardConfig: dashboard({ dashboardConfig: { disableTracking: true } }),
      }),
    );
    expect(plan.actions[0]).toEqual({
      type: 'configure-dashboard',
      id: configureId,
      target: { kind: 'OdhDashboardConfig', namespace: APPS, name: DASHBOARD_CONFIG_NAME },
      summary:
        'set spec.dashboardConfig.disableNIMModelServing: true, spec.nimConfig.disableKeyValidation: true',
      after: [],
      create: false,
      settings: { disableNIMModelServing: true, disableKeyValidation: true },
    });
    expect(plan.actions.filter((a) => a.target.kind === 'DataScienceCluster')).toEqual([]);
    expect(dscReasons(plan)).toEqual([
      'spec.components.kserve.nim kept: the served schema (datasciencecluster.opendatahub.io/v2) ' +
        'still defines it, so the apiserver would default it back, and it is inert once the ' +
        "Account controller is gone; it goes with opendatahub-operator's CRD change " +
        '(manifests/crd/datasciencecluster-remove-nim.patch.yaml)',
      "the admin's choice (managementState: Removed, airGapped: true) is " +
        'spec.dashboardConfig.disableNIMModelServing: true, spec.nimConfig.disableKeyValidation: true ' +
        `in OdhDashboardConfig ${APPS}/${DASHBOARD_CONFIG_NAME}`,
    ]);
  });

  it('creates the dashboard config when there is none', () => {
    const plan = planCleanup(
      mockSnapshot({ dataScienceClusters: [dsc({ managementState: 'Removed' })] }),
    );
    expect(plan.actions[0]).toMatchObject({
      type: 'configure-dashboard',
      create: true,
      summary: 'create with spec.dashboardConfig.disableNIMModelServing: true',
      settings: { disableNIMModelServing: true },
    });
    expect(plan.notes[0]).toMatch(/did not exist: created with only the NIM settings/);
  });

  it('tells defaults from choices: Managed and airGapped false carry nothing', () => {
    const plan = planCleanup(
      mockSnapshot({
        dataScienceClusters: [dsc({ managementState: 'Managed', airGapped: false })],
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(dscReasons(plan)[1]).toBe(
      'managementState: Managed, airGapped: false: only the defaults, no choice to carry',
    );
  });

  it('changes nothing when the dashboard config already holds the intent', () => {
    const plan = planCleanup(
      mockSnapshot({
        dataScienceClusters: [dsc({ managementState: 'Removed', airGapped: true })],
        dashboardConfig: dashboard({
          dashboardConfig: { disableNIMModelServing: true },
          nimConfig: { disableKeyValidation: true },
        }),
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.kept.map((k) => k.target)).toEqual([
      { kind: 'DataScienceCluster', name: 'default-dsc' },
    ]);
  });

  it('keeps the block when the intent has nowhere to go', () => {
    const plan = planCleanup(
      mockSnapshot({
        dataScienceClusters: [dsc({ managementState: 'Removed' })],
        missingKinds: ['OdhDashboardConfig'],
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(dscReasons(plan)[1]).toMatch(/has nowhere to go: OdhDashboardConfig is not installed/);
  });

  it('where the schema no longer has nim, reads the intent kubectl last applied', () => {
    const applied = JSON.stringify({
      apiVersion: 'datasciencecluster.opendatahub.io/v1',
      kind: 'DataScienceCluster',
      spec: { components: { kserve: { nim: { managementState: 'Removed', airGapped: true } } } },
    });
    const plan = planCleanup(
      mockSnapshot({
        dscNimInSchema: false,
        dataScienceClusters: [
          dsc(undefined, { 'kubectl.kubernetes.io/last-applied-configuration': applied }),
        ],
      }),
    );
    expect(plan.actions.map((a) => [a.type, a.summary])).toEqual([
      [
        'configure-dashboard',
        'create with spec.dashboardConfig.disableNIMModelServing: true, spec.nimConfig.disableKeyValidation: true',
      ],
    ]);
    expect(plan.kept).toEqual([]);
    expect(plan.notes).toContain(
      'DataScienceCluster default-dsc: spec.components.kserve.nim is no longer in the served ' +
        "schema (datasciencecluster.opendatahub.io/v2), so it is gone; the admin's block was read " +
        "from its kubectl.kubernetes.io/last-applied-configuration annotation: the admin's choice " +
        '(managementState: Removed, airGapped: true) is spec.dashboardConfig.disableNIMModelServing: ' +
        `true, spec.nimConfig.disableKeyValidation: true in OdhDashboardConfig ${APPS}/${DASHBOARD_CONFIG_NAME}.`,
    );
  });

  it('ignores a last-applied block while the served schema still defines nim', () => {
    const applied = JSON.stringify({
      spec: { components: { kserve: { nim: { managementState: 'Removed' } } } },
    });
    const plan = planCleanup(
      mockSnapshot({
        dataScienceClusters: [
          dsc(undefined, { 'kubectl.kubernetes.io/last-applied-configuration': applied }),
        ],
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.kept).toEqual([]);
  });

  it('says a choice cannot be read when the schema dropped nim on an old-design cluster', () => {
    const plan = planCleanup(
      mockSnapshot({
        dscNimInSchema: false,
        accounts: [mockAccount(APPS)],
        dataScienceClusters: [dsc(undefined)],
      }),
    );
    expect(plan.notes.join('\n')).toMatch(
      /DataScienceCluster default-dsc: the served schema .* no longer has spec.components.kserve.nim, so a choice made there before the upgrade cannot be read/,
    );
    expect(
      planCleanup(mockSnapshot({ dscNimInSchema: false, dataScienceClusters: [dsc(undefined)] }))
        .notes,
    ).toEqual([]);
  });

  it('does nothing for a DataScienceCluster without a NIM block', () => {
    const plan = planCleanup(mockSnapshot({ dataScienceClusters: [dsc(undefined)] }));
    expect(plan.actions).toEqual([]);
    expect(plan.kept).toEqual([]);
  });
});

describe('planCleanup: without the Account CRD', () => {
  const gone = mockAccount(PROJECT, 'team');
  const owner = ownedBy(gone);

  it('finds what a gone Account owned by its ownerReference and deletes it unless in use', () => {
    const cm = mockObject(PROJECT, 'team-cm', { ownerReferences: owner, labels: MANAGED });
    const pull = mockObject(PROJECT, 'team-pull', { ownerReferences: owner, labels: MANAGED });
    const plan = planCleanup(
      mockSnapshot({
        missingKinds: ['Account'],
        namespaces: {
          [APPS]: mockNamespace(),
          [PROJECT]: mockNamespace({
            configMaps: [cm],
            secrets: [pull],
            pods: [podUsing(PROJECT, 'model-0', { imagePullSecrets: [{ name: 'team-pull' }] })],
          }),
        },
      }),
    );
    expect(action(plan, `delete:ConfigMap/${PROJECT}/team-cm`)).toMatchObject({
      reasons: [`owned by Account ${PROJECT}/team, which no longer exists`],
    });
    expect(ids(plan)).not.toContain(`delete:Secret/${PROJECT}/team-pull`);
    expect(keptReasons(plan, 'Secret', PROJECT, 'team-pull')).toEqual([
      `in use by Pod ${PROJECT}/model-0`,
      `owned by Account ${PROJECT}/team, which no longer exists`,
    ]);
    // NB: a kept object loses the dangling ownerReference, or the collector would take it
    // once the kind resolves again.
    expect(action(plan, `remove-owner-references:Secret/${PROJECT}/team-pull`)).toMatchObject({
      ownerUids: [gone.metadata.uid],
      summary: `remove ownerReference to Account ${PROJECT}/team`,
      after: [],
    });
  });

  it("finds the default Account's objects by name and label in the applications namespace", () => {
    const plan = planCleanup(
      mockSnapshot({
        missingKinds: ['Account'],
        namespaces: {
          [APPS]: mockNamespace({
            configMaps: [
              mockObject(APPS, 'odh-nim-account-cm', { labels: MANAGED }),
              mockObject(APPS, 'other-cm', { labels: MANAGED }),
            ],
            secrets: [mockObject(APPS, 'odh-nim-account-pull')],
          }),
        },
      }),
    );
    expect(ids(plan)).toEqual([`delete:ConfigMap/${APPS}/odh-nim-account-cm`]);
  });
});

describe('protectionOf', () => {
  it('protects the user-project secrets and cache PVCs, not the same names in apps', () => {
    expect(
      protectionOf({ kind: 'Secret', namespace: PROJECT, name: NIM_SECRET_NAME }, APPS),
    ).toBeTruthy();
    expect(
      protectionOf({ kind: 'PersistentVolumeClaim', namespace: PROJECT, name: 'nim-pvc-x' }, APPS),
    ).toBeTruthy();
    expect(
      protectionOf({ kind: 'Secret', namespace: APPS, name: NIM_PULL_SECRET_NAME }, APPS),
    ).toBeUndefined();
    expect(
      protectionOf({ kind: 'ConfigMap', namespace: PROJECT, name: 'x' }, APPS),
    ).toBeUndefined();
  });
});

describe('findUsers', () => {
  it('lists ServingRuntimes, InferenceServices and Pods by the Secrets and ConfigMaps they use', () => {
    const snapshot = mockSnapshot({
      namespaces: {
        [APPS]: mockNamespace(),
        [PROJECT]: mockNamespace({
          servingRuntimes: [
            mockObject(PROJECT, 'sr', { extra: { spec: { imagePullSecrets: [{ name: 's' }] } } }),
          ],
          inferenceServices: [
            mockObject(PROJECT, 'isvc', {
              extra: { spec: { predictor: { volumes: [{ configMap: { name: 'cm' } }] } } },
            }),
          ],
          pods: [podUsing(PROJECT, 'pod', { volumes: [{ secret: { secretName: 's' } }] })],
        }),
      },
    });
    const users = findUsers(snapshot, PROJECT);
    expect(users.get(`Secret/${PROJECT}/s`)).toEqual([
      `ServingRuntime ${PROJECT}/sr`,
      `Pod ${PROJECT}/pod`,
    ]);
    expect(users.get(`ConfigMap/${PROJECT}/cm`)).toEqual([`InferenceService ${PROJECT}/isvc`]);
  });
});

describe('oldTemplateNames', () => {
  it('names the fixed old Template and every Account Template', () => {
    expect([...oldTemplateNames([mockAccount(PROJECT, 'mine')])].sort()).toEqual(
      ['mine-template', LEGACY.servingTemplate, 'odh-nim-account-template'].sort(),
    );
  });
});
