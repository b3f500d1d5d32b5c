import type { V1ClusterRole } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { computeAggregatedRules, matchesSelector } from './rbac.js';

const role = (
  name: string,
  labels: Record<string, string>,
  rules: string[],
  aggregateFrom?: string,
): V1ClusterRole => ({
  metadata: { name, labels },
  rules: rules.map((r) => ({ apiGroups: [''], resources: [r], verbs: ['get'] })),
  ...(aggregateFrom
    ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregateFrom]: 'true' } }] } }
    : {}),
});

describe('matchesSelector', () => {
  it('matches labels and expressions', () => {
    const labels = { a: '1', b: '2' };
    expect(matchesSelector(labels, { matchLabels: { a: '1' } })).toBe(true);
    expect(matchesSelector(labels, { matchLabels: { a: '2' } })).toBe(false);
    expect(
      matchesSelector(labels, {
        matchExpressions: [{ key: 'b', operator: 'In', values: ['2', '3'] }],
      }),
    ).toBe(true);
    expect(
      matchesSelector(labels, {
        matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['2'] }],
      }),
    ).toBe(false);
    expect(
      matchesSelector(labels, { matchExpressions: [{ key: 'c', operator: 'DoesNotExist' }] }),
    ).toBe(true);
    expect(matchesSelector(labels, { matchExpressions: [{ key: 'c', operator: 'Exists' }] })).toBe(
      false,
    );
  });
});

describe('computeAggregatedRules', () => {
  it('aggregates transitively, as view -> edit -> admin', () => {
    const roles = [
      role('view', { 'to-edit': 'true' }, [], 'to-view'),
      role('edit', { 'to-admin': 'true' }, [], 'to-edit'),
      role('admin', {}, [], 'to-admin'),
      role('agg-view', { 'to-view': 'true' }, ['pods']),
      role('agg-edit', { 'to-edit': 'true' }, ['secrets']),
      role('unrelated', {}, ['nodes']),
    ];
    const result = computeAggregatedRules(roles);
    const resources = (name: string): string[] =>
      (result.get(name) ?? []).flatMap((r) => r.resources ?? []);
    expect(resources('view')).toEqual(['pods']);
    expect(resources('edit').sort()).toEqual(['pods', 'secrets']);
    expect(resources('admin').sort()).toEqual(['pods', 'secrets']);
    expect(result.has('agg-view')).toBe(false);
  });
});
