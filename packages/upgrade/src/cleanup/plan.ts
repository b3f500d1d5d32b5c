import {
  ANNOTATIONS,
  collectReferences,
  LABELS,
  LEGACY,
  MODELS_CONFIGMAP_NAME,
  NIM_PULL_SECRET_NAME,
  NIM_PVC_PREFIX,
  NIM_SECRET_NAME,
  RUNTIME_TEMPLATE_GRPC,
  RUNTIME_TEMPLATE_HTTP,
} from '@odh-nim/contract';

import {
  qualifiedName,
  type Account,
  type KubeObject,
  type OwnerReference,
} from '../k8s/objects.js';
import type { ObjectRef, ResourceKind } from '../k8s/resource-client.js';
import type { DashboardSettings } from './nim-intent.js';
import { planDataScienceClusters } from './plan-dsc.js';
import { describeRef, refKey, refOf } from './refs.js';
import { isAccountOwner, namespaceObjects, type CleanupSnapshot } from './snapshot.js';

export type { DashboardSettings } from './nim-intent.js';
export { describeSettings } from './nim-intent.js';
export { describeRef } from './refs.js';

interface ActionBase {
  /** Unique within a plan; `after` refers to it. */
  id: string;
  target: ObjectRef;
  /** What the action does, for people: the same words in a dry run and a real run. */
  summary: string;
  /** Actions that must have succeeded first; if one failed, this one is not attempted. */
  after: string[];
}

/** One step of the cleanup, in execution order. */
export type CleanupAction =
  | (ActionBase & { type: 'delete'; uid: string | undefined; reasons: string[] })
  | (ActionBase & { type: 'remove-owner-references'; ownerUids: string[] })
  | (ActionBase & { type: 'remove-finalizer'; finalizer: string })
  | (ActionBase & { type: 'set-template-name'; from: string; to: string })
  | (ActionBase & { type: 'configure-dashboard'; create: boolean; settings: DashboardSettings });

/** An object the cleanup looked at and leaves in place, with why. */
export interface KeptObject {
  target: ObjectRef;
  reasons: string[];
}

/** What {@link planCleanup} decided: actions in order, objects kept, and notes for the report. */
export interface CleanupPlan {
  applicationsNamespace: string;
  actions: CleanupAction[];
  kept: KeptObject[];
  notes: string[];
}

/** Options of {@link planCleanup}. */
export interface PlanOptions {
  /** Leave the Account CRD installed even when no Account is left. */
  keepAccountCrd?: boolean;
}

/** Kinds whose objects an Account owns or refers to. */
type CandidateKind = Extract<
  ResourceKind,
  'Secret' | 'ConfigMap' | 'Template' | 'CronJob' | 'Job' | 'Pod'
>;

interface Candidate {
  ref: ObjectRef & { kind: CandidateKind; namespace: string };
  object: KubeObject;
  reasons: string[];
  /** Created by the old design: owned by an Account, labelled managed, or a fixed old name. */
  own: boolean;
}

const ACCOUNT_REFERENCE_FIELDS = [
  { path: 'spec.apiKeySecret', kind: 'Secret' },
  { path: 'status.nimConfig', kind: 'ConfigMap' },
  { path: 'status.runtimeTemplate', kind: 'Template' },
  { path: 'status.nimPullSecret', kind: 'Secret' },
] as const;

const TERMINAL_POD_PHASES = new Set(['Succeeded', 'Failed']);

/** `Account namespace/name` of an Account ownerReference (owners share their dependent's namespace). */
function describeOwner(owner: OwnerReference, namespace: string): string {
  return describeRef({ kind: 'Account', namespace, name: owner.name });
}

function ownerUidsOf(object: KubeObject): string[] {
  return (object.metadata.ownerReferences ?? []).map((owner) => owner.uid);
}

/**
 * Why an object must never be deleted whatever refers to it, or undefined. In user projects:
 * the secrets and cache PVCs running NIM deployments use. In the applications namespace: the
 * new design's own catalog and Templates, which old objects must not be confused with.
 */
export function protectionOf(ref: ObjectRef, applicationsNamespace: string): string | undefined {
  if (ref.namespace === applicationsNamespace) {
    const ours =
      (ref.kind === 'ConfigMap' && ref.name === MODELS_CONFIGMAP_NAME) ||
      (ref.kind === 'Template' &&
        (ref.name === RUNTIME_TEMPLATE_HTTP || ref.name === RUNTIME_TEMPLATE_GRPC));
    return ours ? 'part of the new NIM integration' : undefined;
  }
  const userSecrets: string[] = [NIM_SECRET_NAME, LEGACY.userProjectSecret, NIM_PULL_SECRET_NAME];
  if (ref.kind === 'Secret' && userSecrets.includes(ref.name)) {
    return 'never deleted in a user project: NIM deployments there use it';
  }
  if (ref.kind === 'PersistentVolumeClaim' && ref.name.startsWith(NIM_PVC_PREFIX)) {
    return 'never deleted in a user project: it holds a NIM model cache';
  }
  return undefined;
}

/**
 * Who uses each Secret and ConfigMap of a namespace: ServingRuntimes, InferenceServices and
 * Pods, by env, envFrom, imagePullSecrets and volumes. Finished Pods use nothing any more, and
 * Pods of the old validator's Jobs go with it, so neither keeps anything.
 */
export function findUsers(
  snapshot: CleanupSnapshot,
  namespace: string,
  ignoredJobs: ReadonlySet<string> = new Set(),
): Map<string, string[]> {
  const objects = namespaceObjects(snapshot, namespace);
  const users = new Map<string, string[]>();
  const note = (kind: 'Secret' | 'ConfigMap', name: string, user: string): void => {
    const key = refKey({ kind, namespace, name });
    users.set(key, [...(users.get(key) ?? []), user]);
  };
  const pods = objects.pods.filter((pod) => {
    const phase = (pod as { status?: { phase?: unknown } }).status?.phase;
    if (typeof phase === 'string' && TERMINAL_POD_PHASES.has(phase)) return false;
    return !(pod.metadata.ownerReferences ?? []).some(
      (owner) => owner.kind === 'Job' && ignoredJobs.has(owner.name),
    );
  });
  const workloads: [string, KubeObject[]][] = [
    ['ServingRuntime', objects.servingRuntimes],
    ['InferenceService', objects.inferenceServices],
    ['Pod', pods],
  ];
  for (const [kind, list] of workloads) {
    for (const object of list) {
      const refs = collectReferences(object);
      const user = `${kind} ${qualifiedName(object.metadata)}`;
      for (const name of refs.secrets) note('Secret', name, user);
      for (const name of refs.configMaps) note('ConfigMap', name, user);
    }
  }
  return users;
}

/** Template names of the old design that a ServingRuntime may still carry. */
export function oldTemplateNames(accounts: readonly Account[]): Set<string> {
  return new Set([
    LEGACY.servingTemplate,
    `${LEGACY.defaultAccountName}${LEGACY.ownedSuffixes.template}`,
    ...accounts.map((account) => `${account.metadata.name}${LEGACY.ownedSuffixes.template}`),
  ]);
}

/**
 * Decides the whole cleanup from one snapshot, without calling the cluster: what to delete,
 * change and keep, and in which order. Pure, so a dry run and the real run it precedes plan the
 * same thing, and so every rule is unit-tested.
 *
 * Order: carry the DataScienceCluster's NIM intent to the dashboard config (the block itself
 * stays where the served schema defines it, see {@link planDataScienceClusters}); point
 * ServingRuntimes at the new Template; strip Account ownerReferences from objects that stay (NB:
 * on a real cluster the garbage collector deletes what a deleted owner owns); delete the old
 * objects; remove the Accounts' finalizer and delete them; delete the Account CRD once no
 * Account is left.
 */
export function planCleanup(snapshot: CleanupSnapshot, options: PlanOptions = {}): CleanupPlan {
  const apps = snapshot.applicationsNamespace;
  const actions: CleanupAction[] = [];
  const kept: KeptObject[] = [];
  const notes: string[] = [];
  const accountUids = new Map<string, Account>();
  for (const account of snapshot.accounts) {
    if (account.metadata.uid) accountUids.set(account.metadata.uid, account);
  }

  for (const kind of snapshot.missingKinds) {
    notes.push(`${kind} is not installed on this cluster: skipped.`);
  }

  // 0. The admin's NIM intent goes to the dashboard config before anything is removed.
  const dsc = planDataScienceClusters(snapshot);
  actions.push(...dsc.actions);
  notes.push(...dsc.notes);

  // 1. ServingRuntimes naming an old Template.
  const oldTemplates = oldTemplateNames(snapshot.accounts);
  for (const runtime of snapshot.servingRuntimes) {
    const current = runtime.metadata.annotations?.[ANNOTATIONS.templateName];
    if (!current || !oldTemplates.has(current) || runtime.metadata.deletionTimestamp) continue;
    const target = refOf('ServingRuntime', runtime);
    actions.push({
      type: 'set-template-name',
      id: `set-template-name:${refKey(target)}`,
      target,
      summary: `set ${ANNOTATIONS.templateName}: ${current} → ${RUNTIME_TEMPLATE_HTTP}`,
      after: [],
      from: current,
      to: RUNTIME_TEMPLATE_HTTP,
    });
  }

  // 2. Candidates: what Accounts own or refer to, and the fixed old names.
  const candidates = new Map<string, Candidate>();
  const addCandidate = (
    kind: CandidateKind,
    object: KubeObject,
    reason: string,
    own: boolean,
  ): void => {
    const namespace = object.metadata.namespace ?? apps;
    const ref = { kind, namespace, name: object.metadata.name };
    const key = refKey(ref);
    const existing = candidates.get(key);
    if (existing) {
      if (!existing.reasons.includes(reason)) existing.reasons.push(reason);
      existing.own ||= own;
    } else {
      candidates.set(key, { ref, object, reasons: [reason], own });
    }
  };
  const find = (
    kind: 'Secret' | 'ConfigMap' | 'Template',
    namespace: string,
    name: string,
  ): KubeObject | undefined => {
    const objects = namespaceObjects(snapshot, namespace);
    const list =
      kind === 'Secret'
        ? objects.secrets
        : kind === 'ConfigMap'
          ? objects.configMaps
          : objects.templates;
    return list.find((object) => object.metadata.name === name);
  };

  for (const account of snapshot.accounts) {
    const home = account.metadata.namespace ?? apps;
    const accountName = describeRef(refOf('Account', account));
    const uid = account.metadata.uid;
    const objects = namespaceObjects(snapshot, home);
    const ownedLists: [CandidateKind, KubeObject[]][] = [
      ['Secret', objects.secrets],
      ['ConfigMap', objects.configMaps],
      ['Template', objects.templates],
    ];
    for (const [kind, list] of ownedLists) {
      for (const object of list) {
        if (uid && ownerUidsOf(object).includes(uid)) {
          addCandidate(kind, object, `owned by ${accountName}`, true);
        }
      }
    }
    for (const field of ACCOUNT_REFERENCE_FIELDS) {
      const [section, key] = field.path.split('.') as ['spec' | 'status', string];
      const ref = (account[section] as Record<string, unknown> | undefined)?.[key] as
        { name: string; namespace?: string } | null | undefined;
      if (!ref?.name) continue;
      const object = find(field.kind, ref.namespace ?? home, ref.name);
      if (!object) continue;
      const managed = object.metadata.labels?.[LABELS.managed] === 'true';
      addCandidate(field.kind, object, `referenced by ${accountName} (${field.path})`, managed);
    }
  }

  // What Accounts that no longer exist owned (their CRD gone): labelled managed and owned by
  // an Account, whatever the namespace (the snapshot finds them cluster-wide by that label).
  // NB: the garbage collector never takes these, as it cannot resolve the kind.
  for (const [namespace, objects] of Object.entries(snapshot.namespaces)) {
    const ownedLists: [CandidateKind, KubeObject[]][] = [
      ['Secret', objects.secrets],
      ['ConfigMap', objects.configMaps],
      ['Template', objects.templates],
    ];
    for (const [kind, list] of ownedLists) {
      for (const object of list) {
        if (object.metadata.labels?.[LABELS.managed] !== 'true') continue;
        const gone = (object.metadata.ownerReferences ?? []).find(
          (owner) => isAccountOwner(owner) && !accountUids.has(owner.uid),
        );
        if (!gone) continue;
        const reason = `owned by Account ${namespace}/${gone.name}, which no longer exists`;
        addCandidate(kind, object, reason, true);
      }
    }
  }

  const appsObjects = namespaceObjects(snapshot, apps);
  // The default Account's objects by name, in case they lost their ownerReference.
  const defaultAccountOwned: [CandidateKind, string, KubeObject[]][] = [
    ['Secret', LEGACY.ownedSuffixes.pullSecret, appsObjects.secrets],
    ['ConfigMap', LEGACY.ownedSuffixes.configMap, appsObjects.configMaps],
    ['Template', LEGACY.ownedSuffixes.template, appsObjects.templates],
  ];
  for (const [kind, suffix, list] of defaultAccountOwned) {
    const name = `${LEGACY.defaultAccountName}${suffix}`;
    const object = list.find((item) => item.metadata.name === name);
    if (candidates.has(refKey({ kind, namespace: apps, name }))) continue;
    if (object?.metadata.labels?.[LABELS.managed] === 'true') {
      addCandidate(kind, object, `${LABELS.managed} object named after the default Account`, true);
    }
  }

  const fixed: [CandidateKind, string, KubeObject[]][] = [
    ['Secret', LEGACY.adminKeySecret, appsObjects.secrets],
    ['Secret', LEGACY.pullSecret, appsObjects.secrets],
    ['ConfigMap', LEGACY.imagesConfigMap, appsObjects.configMaps],
    ['ConfigMap', LEGACY.validationResultConfigMap, appsObjects.configMaps],
    ['Template', LEGACY.servingTemplate, appsObjects.templates],
    ['CronJob', LEGACY.validatorCronJob, appsObjects.cronJobs],
  ];
  for (const [kind, name, list] of fixed) {
    const object = list.find((item) => item.metadata.name === name);
    if (object) addCandidate(kind, object, 'fixed-name object of the old design', true);
  }
  const validatorJobs = new Set<string>();
  for (const job of appsObjects.jobs) {
    const fromValidator = (job.metadata.ownerReferences ?? []).some(
      (owner) => owner.kind === 'CronJob' && owner.name === LEGACY.validatorCronJob,
    );
    if (!fromValidator) continue;
    validatorJobs.add(job.metadata.name);
    addCandidate('Job', job, `run of CronJob ${LEGACY.validatorCronJob}`, true);
  }
  // Deleted explicitly too: a cluster without a garbage collector would keep them forever.
  for (const pod of appsObjects.pods) {
    const owner = (pod.metadata.ownerReferences ?? []).find(
      (ref) => ref.kind === 'Job' && validatorJobs.has(ref.name),
    );
    if (owner) addCandidate('Pod', pod, `run of CronJob ${LEGACY.validatorCronJob}`, true);
  }

  // 3. Decide each candidate.
  const usersByNamespace = new Map<string, Map<string, string[]>>();
  const usersOf = (ref: Candidate['ref']): string[] => {
    let users = usersByNamespace.get(ref.namespace);
    if (!users) {
      users = findUsers(
        snapshot,
        ref.namespace,
        ref.namespace === apps ? validatorJobs : new Set(),
      );
      usersByNamespace.set(ref.namespace, users);
    }
    return users.get(refKey(ref)) ?? [];
  };
  /** Strip actions, by the uid of the Account whose ownerReference they remove. */
  const stripsByAccount = new Map<string, string[]>();
  const deletes: CleanupAction[] = [];
  const strips: CleanupAction[] = [];
  for (const candidate of candidates.values()) {
    const { ref, object } = candidate;
    if (object.metadata.deletionTimestamp) {
      notes.push(`${describeRef(ref)} is already being deleted: left to its finalizers.`);
      continue;
    }
    const keepReasons: string[] = [];
    const protection = protectionOf(ref, apps);
    if (protection) keepReasons.push(protection);
    const users = ref.kind === 'Secret' || ref.kind === 'ConfigMap' ? usersOf(ref) : [];
    if (users.length > 0) keepReasons.push(`in use by ${users.join(', ')}`);
    if (!candidate.own) {
      keepReasons.push(
        `not created by the old design (no Account ownerReference, no ${LABELS.managed} label)`,
      );
    }
    if (keepReasons.length === 0) {
      deletes.push({
        type: 'delete',
        id: `delete:${refKey(ref)}`,
        target: ref,
        summary: 'delete',
        after: [],
        uid: object.metadata.uid,
        reasons: candidate.reasons,
      });
      continue;
    }
    kept.push({ target: ref, reasons: [...keepReasons, ...candidate.reasons] });
    // Live Accounts' and gone ones': the collector would take a kept object with either.
    const owners = (object.metadata.ownerReferences ?? []).filter(isAccountOwner);
    if (owners.length === 0) continue;
    const id = `remove-owner-references:${refKey(ref)}`;
    const ownerNames = owners.map((owner) => describeOwner(owner, ref.namespace)).join(', ');
    strips.push({
      type: 'remove-owner-references',
      id,
      target: ref,
      summary: `remove ownerReference to ${ownerNames}`,
      after: [],
      ownerUids: owners.map((owner) => owner.uid),
    });
    for (const owner of owners) {
      stripsByAccount.set(owner.uid, [...(stripsByAccount.get(owner.uid) ?? []), id]);
    }
  }
  actions.push(...strips, ...deletes);

  // 4. Accounts.
  const accountDeletes: string[] = [];
  for (const account of snapshot.accounts) {
    const target = refOf('Account', account);
    const strippedFirst = account.metadata.uid
      ? (stripsByAccount.get(account.metadata.uid) ?? [])
      : [];
    const finalizers = account.metadata.finalizers ?? [];
    const after = [...strippedFirst];
    if (finalizers.includes(LEGACY.accountFinalizer)) {
      const id = `remove-finalizer:${refKey(target)}`;
      actions.push({
        type: 'remove-finalizer',
        id,
        target,
        summary: `remove finalizer ${LEGACY.accountFinalizer}`,
        after: [...strippedFirst],
        finalizer: LEGACY.accountFinalizer,
      });
      after.push(id);
    }
    const others = finalizers.filter((finalizer) => finalizer !== LEGACY.accountFinalizer);
    if (others.length > 0) {
      notes.push(
        `${describeRef(target)} also has finalizers ${others.join(', ')}: it is gone once their ` +
          'controllers release it.',
      );
    }
    const id = `delete:${refKey(target)}`;
    actions.push({
      type: 'delete',
      id,
      target,
      summary: 'delete',
      after,
      uid: account.metadata.uid,
      reasons: [
        account.metadata.deletionTimestamp
          ? 'Account of the old design, stuck in deletion on its finalizer'
          : 'Account of the old design',
      ],
    });
    accountDeletes.push(id);
  }

  kept.push(...dsc.kept);

  // 5. The Account CRD.
  const crd = snapshot.accountCrd;
  if (crd && !crd.metadata.deletionTimestamp) {
    const target: ObjectRef = { kind: 'CustomResourceDefinition', name: crd.metadata.name };
    if (options.keepAccountCrd) {
      kept.push({ target, reasons: ['kept as asked (--keep-account-crd)'] });
    } else {
      actions.push({
        type: 'delete',
        id: `delete:${refKey(target)}`,
        target,
        summary: 'delete',
        after: accountDeletes,
        uid: crd.metadata.uid,
        reasons: ['CRD of the old design; no Account is left'],
      });
    }
  } else if (crd) {
    notes.push(`CustomResourceDefinition ${crd.metadata.name} is already being deleted.`);
  }

  return { applicationsNamespace: apps, actions, kept, notes };
}
