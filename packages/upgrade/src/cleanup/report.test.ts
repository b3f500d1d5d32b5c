import { describe, expect, it } from 'vitest';

import type { ActionResult } from './execute.js';
import type { CleanupPlan } from './plan.js';
import { buildCleanupReport, formatCleanupReport } from './report.js';

const NS = { name: 'opendatahub', source: 'dsci' } as const;

function mockPlan(overrides: Partial<CleanupPlan> = {}): CleanupPlan {
  return {
    applicationsNamespace: 'opendatahub',
    actions: [
      {
        type: 'remove-owner-references',
        id: 'strip',
        target: { kind: 'Secret', namespace: 'p', name: 'pull' },
        summary: 'remove ownerReference to Account p/acc',
        after: [],
        ownerUids: ['u'],
      },
      {
        type: 'set-template-name',
        id: 'repoint',
        target: { kind: 'ServingRuntime', namespace: 'p', name: 'llama' },
        summary: 'set opendatahub.io/template-name: a → b',
        after: [],
        from: 'a',
        to: 'b',
      },
      {
        type: 'remove-finalizer',
        id: 'finalizer',
        target: { kind: 'Account', namespace: 'p', name: 'acc' },
        summary: 'remove finalizer f',
        after: ['strip'],
        finalizer: 'f',
      },
      {
        type: 'delete',
        id: 'delete',
        target: { kind: 'Account', namespace: 'p', name: 'acc' },
        summary: 'delete',
        after: ['strip', 'finalizer'],
        uid: 'u',
        reasons: ['Account of the old design'],
      },
    ],
    kept: [
      { target: { kind: 'Secret', namespace: 'p', name: 'pull' }, reasons: ['in use by Pod p/x'] },
    ],
    notes: ['Template is not installed on this cluster: skipped.'],
    ...overrides,
  };
}

const allOk = (plan: CleanupPlan): Map<string, ActionResult> =>
  new Map(plan.actions.map((action): [string, ActionResult] => [action.id, { outcome: 'done' }]));

describe('buildCleanupReport', () => {
  it('makes one entry per object, merging its actions, kept objects last', () => {
    const plan = mockPlan();
    const report = buildCleanupReport({
      plan,
      results: allOk(plan),
      dryRun: false,
      applicationsNamespace: NS,
    });
    expect(report.entries).toEqual([
      {
        kind: 'ServingRuntime',
        namespace: 'p',
        name: 'llama',
        status: 'changed',
        reasons: [],
        changes: ['set opendatahub.io/template-name: a → b'],
      },
      {
        kind: 'Account',
        namespace: 'p',
        name: 'acc',
        status: 'deleted',
        reasons: ['Account of the old design'],
        changes: ['remove finalizer f'],
      },
      {
        kind: 'Secret',
        namespace: 'p',
        name: 'pull',
        status: 'kept',
        reasons: ['in use by Pod p/x'],
        changes: ['remove ownerReference to Account p/acc'],
      },
    ]);
    expect(report.summary).toMatchObject({ deleted: 1, changed: 1, kept: 1, failed: 0 });
    expect(report.nothingToDo).toBe(false);
    expect(report.failed).toBe(false);
  });

  it('says would-delete and would-change in a dry run', () => {
    const plan = mockPlan();
    const report = buildCleanupReport({
      plan,
      results: allOk(plan),
      dryRun: true,
      applicationsNamespace: NS,
    });
    expect(report.entries.map((entry) => entry.status)).toEqual([
      'would-change',
      'would-delete',
      'kept',
    ]);
  });

  it('marks an object failed with every error of its actions', () => {
    const plan = mockPlan();
    const results = allOk(plan);
    results.set('finalizer', { outcome: 'failed', error: 'HTTP 403 Forbidden' });
    results.set('delete', { outcome: 'failed', error: 'HTTP 500' });
    const report = buildCleanupReport({ plan, results, dryRun: false, applicationsNamespace: NS });
    expect(report.entries[1]).toMatchObject({
      status: 'failed',
      error: 'remove finalizer f: HTTP 403 Forbidden; delete: HTTP 500',
    });
    expect(report.failed).toBe(true);
  });

  it('reports a delete that was never sent as not attempted, naming what it waited for', () => {
    const plan = mockPlan();
    const results = allOk(plan);
    results.set('strip', { outcome: 'failed', error: 'HTTP 403 Forbidden' });
    results.set('finalizer', { outcome: 'not-attempted', blockedBy: 'Secret p/pull: strip' });
    results.set('delete', { outcome: 'not-attempted', blockedBy: 'Secret p/pull: strip' });
    const report = buildCleanupReport({ plan, results, dryRun: false, applicationsNamespace: NS });
    const account = report.entries.find((entry) => entry.kind === 'Account');
    expect(account).toEqual({
      kind: 'Account',
      namespace: 'p',
      name: 'acc',
      status: 'not-attempted',
      reasons: ['Account of the old design'],
      changes: ['remove finalizer f'],
      blockedBy:
        'remove finalizer f: waits for Secret p/pull: strip, which did not succeed; ' +
        'delete: waits for Secret p/pull: strip, which did not succeed',
    });
    expect(account?.error).toBeUndefined();
    expect(report.summary).toMatchObject({ failed: 1, 'not-attempted': 1 });
    expect(report.failed).toBe(true);
  });

  it('shows the stored values of what it changed, not of what it deleted', () => {
    const plan = mockPlan();
    const results = allOk(plan);
    results.set('repoint', {
      outcome: 'done',
      stored: { 'metadata.annotations.opendatahub.io/template-name': 'b' },
    });
    results.set('finalizer', { outcome: 'done', stored: { 'metadata.finalizers': [] } });
    const report = buildCleanupReport({ plan, results, dryRun: false, applicationsNamespace: NS });
    expect(report.entries.find((e) => e.kind === 'ServingRuntime')?.stored).toEqual({
      'metadata.annotations.opendatahub.io/template-name': 'b',
    });
    expect(report.entries.find((e) => e.kind === 'Account')?.stored).toBeUndefined();
    expect(formatCleanupReport(report)).toContain(
      '    stored: metadata.annotations.opendatahub.io/template-name: "b"',
    );
  });

  it('has nothing to do when only unchanged objects are kept', () => {
    const plan = mockPlan({
      actions: [],
      kept: [
        { target: { kind: 'CustomResourceDefinition', name: 'crd' }, reasons: ['kept as asked'] },
      ],
    });
    const report = buildCleanupReport({
      plan,
      results: new Map(),
      dryRun: false,
      applicationsNamespace: NS,
    });
    expect(report.nothingToDo).toBe(true);
  });
});

describe('formatCleanupReport', () => {
  it('groups objects by outcome with reasons, changes and errors', () => {
    const plan = mockPlan();
    const results = allOk(plan);
    results.set('repoint', { outcome: 'failed', error: 'HTTP 409 Conflict' });
    const text = formatCleanupReport(
      buildCleanupReport({ plan, results, dryRun: false, applicationsNamespace: NS }),
    );
    expect(text).toBe(
      [
        'NIM upgrade cleanup',
        'Applications namespace: opendatahub (from the DSCInitialization)',
        '',
        'Deleted (1):',
        '  Account p/acc: Account of the old design',
        '    change: remove finalizer f',
        '',
        'Kept (1):',
        '  Secret p/pull: in use by Pod p/x',
        '    change: remove ownerReference to Account p/acc',
        '',
        'Failed (1):',
        '  ServingRuntime p/llama',
        '    change: set opendatahub.io/template-name: a → b',
        '    error: set opendatahub.io/template-name: a → b: HTTP 409 Conflict',
        '',
        'Notes:',
        '  - Template is not installed on this cluster: skipped.',
        '',
        'Summary: 1 deleted, 1 kept, 1 failed.',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to do, and marks a dry run', () => {
    const plan = mockPlan({ actions: [], kept: [], notes: [] });
    const text = formatCleanupReport(
      buildCleanupReport({ plan, results: new Map(), dryRun: true, applicationsNamespace: NS }),
    );
    expect(text).toContain('NIM upgrade cleanup (dry run: nothing was changed)');
    expect(text).toContain('Nothing to do: no object of the old NIM integration is left');
  });
});
