import type { ObjectRef, ResourceKind } from '../k8s/resource-client.js';
import type { ActionResult } from './execute.js';
import type { CleanupPlan } from './plan.js';
import { describeRef } from './refs.js';
import type { StoredFields } from './verify.js';

/**
 * What happened to one object. A dry run says `would-delete`/`would-change` instead.
 * `not-attempted`: a change it waited for did not succeed, so nothing was sent for it.
 */
export type EntryStatus =
  'deleted' | 'changed' | 'kept' | 'failed' | 'not-attempted' | 'would-delete' | 'would-change';

/** One object the cleanup deleted, changed, kept or failed on. */
export interface CleanupReportEntry {
  kind: ResourceKind;
  namespace?: string;
  name: string;
  status: EntryStatus;
  /** Why it was deleted or kept. */
  reasons: string[];
  /** What was (or would be) changed on it, besides deleting it. */
  changes: string[];
  /**
   * The changed fields as read back from the apiserver after the change (in a dry run: as it
   * would store them), by path. Absent for deleted objects.
   */
  stored?: StoredFields;
  /** Set when `status` is `failed`. */
  error?: string;
  /** Set when `status` is `not-attempted`: the change that had to succeed first. */
  blockedBy?: string;
}

/** What `cleanup` did, object by object. */
export interface CleanupReport {
  dryRun: boolean;
  applicationsNamespace: { name: string; source: 'explicit' | 'dsci' | 'label' | 'default' };
  entries: CleanupReportEntry[];
  /** Things worth knowing that concern no single object: missing CRDs, stuck finalizers. */
  notes: string[];
  /** Entries per status. */
  summary: Record<EntryStatus, number>;
  /** True when the cluster already had nothing of the old design to remove or change. */
  nothingToDo: boolean;
  /** True when at least one object failed or was not attempted: the CLI then exits non-zero. */
  failed: boolean;
}

const STATUSES: EntryStatus[] = [
  'deleted',
  'would-delete',
  'changed',
  'would-change',
  'kept',
  'failed',
  'not-attempted',
];

/** Merges a plan and its results into one entry per object, in the plan's order. */
export function buildCleanupReport(params: {
  plan: CleanupPlan;
  results: ReadonlyMap<string, ActionResult>;
  dryRun: boolean;
  applicationsNamespace: CleanupReport['applicationsNamespace'];
}): CleanupReport {
  const { plan, results, dryRun } = params;
  const entries = new Map<string, CleanupReportEntry & { deleting: boolean; kept: boolean }>();
  const entryOf = (ref: ObjectRef): CleanupReportEntry & { deleting: boolean; kept: boolean } => {
    const key = describeRef(ref);
    let entry = entries.get(key);
    if (!entry) {
      entry = {
        kind: ref.kind,
        ...(ref.namespace ? { namespace: ref.namespace } : {}),
        name: ref.name,
        status: 'changed',
        reasons: [],
        changes: [],
        deleting: false,
        kept: false,
      };
      entries.set(key, entry);
    }
    return entry;
  };
  for (const kept of plan.kept) {
    const entry = entryOf(kept.target);
    entry.kept = true;
    entry.reasons.push(...kept.reasons);
  }
  const errors = new Map<string, string[]>();
  const blocked = new Map<string, string[]>();
  const stored = new Map<string, StoredFields>();
  const add = (map: Map<string, string[]>, key: string, text: string): void => {
    map.set(key, [...(map.get(key) ?? []), text]);
  };
  for (const action of plan.actions) {
    const entry = entryOf(action.target);
    const key = describeRef(action.target);
    if (action.type === 'delete') {
      entry.deleting = true;
      entry.reasons.push(...action.reasons);
    } else {
      entry.changes.push(action.summary);
    }
    const result: ActionResult = results.get(action.id) ?? { outcome: 'failed', error: 'not run' };
    if (result.outcome === 'not-attempted') {
      add(blocked, key, `${action.summary}: waits for ${result.blockedBy}, which did not succeed`);
      continue;
    }
    if (result.outcome === 'failed') add(errors, key, `${action.summary}: ${result.error}`);
    if (result.stored) stored.set(key, { ...stored.get(key), ...result.stored });
  }
  const list: CleanupReportEntry[] = [];
  const ordered = [...entries.entries()].sort(([, a], [, b]) => Number(a.kept) - Number(b.kept));
  for (const [key, { deleting, kept, ...entry }] of ordered) {
    const failures = errors.get(key);
    const waits = blocked.get(key);
    const fields = stored.get(key);
    if (fields && !(deleting && !failures)) entry.stored = fields;
    if (failures) {
      entry.status = 'failed';
      entry.error = failures.join('; ');
    } else if (waits) {
      entry.status = 'not-attempted';
      entry.blockedBy = waits.join('; ');
    } else if (deleting) entry.status = dryRun ? 'would-delete' : 'deleted';
    else if (kept) entry.status = 'kept';
    else entry.status = dryRun ? 'would-change' : 'changed';
    list.push(entry);
  }
  const summary = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<
    EntryStatus,
    number
  >;
  for (const entry of list) summary[entry.status] += 1;
  return {
    dryRun,
    applicationsNamespace: params.applicationsNamespace,
    entries: list,
    notes: [...plan.notes],
    summary,
    nothingToDo: list.every((entry) => entry.status === 'kept' && entry.changes.length === 0),
    failed: summary.failed > 0 || summary['not-attempted'] > 0,
  };
}

const HEADINGS: Record<EntryStatus, string> = {
  deleted: 'Deleted',
  'would-delete': 'Would delete',
  changed: 'Changed',
  'would-change': 'Would change',
  kept: 'Kept',
  failed: 'Failed',
  'not-attempted': 'Not attempted',
};

const SOURCES: Record<CleanupReport['applicationsNamespace']['source'], string> = {
  explicit: 'as given',
  dsci: 'from the DSCInitialization',
  label: 'from the namespace label',
  default: 'the default',
};

/** The report for people: one group per outcome, each object with its reasons and changes. */
export function formatCleanupReport(report: CleanupReport): string {
  const { name, source } = report.applicationsNamespace;
  const lines = [
    `NIM upgrade cleanup${report.dryRun ? ' (dry run: nothing was changed)' : ''}`,
    `Applications namespace: ${name} (${SOURCES[source]})`,
  ];
  for (const status of STATUSES) {
    const group = report.entries.filter((entry) => entry.status === status);
    if (group.length === 0) continue;
    lines.push('', `${HEADINGS[status]} (${group.length}):`);
    for (const entry of group) {
      const reasons = entry.reasons.length > 0 ? `: ${entry.reasons.join('; ')}` : '';
      lines.push(`  ${describeRef(entry)}${reasons}`);
      for (const change of entry.changes) lines.push(`    change: ${change}`);
      if (entry.stored) {
        const fields = Object.entries(entry.stored).map(([f, v]) => `${f}: ${JSON.stringify(v)}`);
        lines.push(`    ${report.dryRun ? 'would store' : 'stored'}: ${fields.join(', ')}`);
      }
      if (entry.error) lines.push(`    error: ${entry.error}`);
      if (entry.blockedBy) lines.push(`    not attempted: ${entry.blockedBy}`);
    }
  }
  if (report.notes.length > 0) {
    lines.push('', 'Notes:', ...report.notes.map((note) => `  - ${note}`));
  }
  lines.push('');
  if (report.nothingToDo) {
    lines.push('Nothing to do: no object of the old NIM integration is left to remove or change.');
  } else {
    const counts = STATUSES.filter((status) => report.summary[status] > 0).map(
      (status) => `${report.summary[status]} ${HEADINGS[status].toLowerCase()}`,
    );
    lines.push(`Summary: ${counts.join(', ')}.`);
  }
  return `${lines.join('\n')}\n`;
}
