import { describe, expect, it } from 'vitest';

import type { CatalogEntry, CatalogListing, ModelDetailsResult } from '@odh-nim/ngc';

import { resolveCatalog } from './catalog-resolution.js';
import { buildEuListEntry } from './eu-list.js';
import { mockModelEntry } from './test-helpers.js';

function mockCatalogEntry(resourceId: string, overrides: Partial<CatalogEntry> = {}): CatalogEntry {
  const [org = '', team, name = ''] = resourceId.split('/');
  return {
    resourceId,
    org,
    team,
    name,
    namespace: `${org}/${team}`,
    latestTag: '1.0.0',
    displayName: `Display ${name}`,
    description: `About ${name}`,
    updatedDate: '2025-03-01T00:00:00.000Z',
    ...overrides,
  };
}

function ok(
  resourceId: string,
  overrides: Parameters<typeof mockModelEntry>[0] = {},
): ModelDetailsResult {
  const [, team, name = ''] = resourceId.split('/');
  const { euRestricted: _, ...details } = mockModelEntry({
    name,
    namespace: `nim/${team}`,
    ...overrides,
  });
  return { resourceId, outcome: { kind: 'ok', details } };
}

function listing(ids: string[], skipped: CatalogListing['skipped'] = []): CatalogListing {
  return {
    entries: ids.map((id) => mockCatalogEntry(id)),
    skipped,
    pages: 1,
    resultTotal: ids.length,
  };
}

describe('resolveCatalog', () => {
  it('sorts models by name and their tags newest first', () => {
    const resolved = resolveCatalog({
      listing: listing(['nim/meta/b', 'nim/meta/a']),
      results: [ok('nim/meta/b', { tags: ['1', 'latest', '1.10.0', '1.9.0'] }), ok('nim/meta/a')],
      euList: [],
    });
    expect(resolved.models.map((m) => m.name)).toEqual(['a', 'b']);
    expect(resolved.models[1]?.tags).toEqual(['latest', '1', '1.10.0', '1.9.0']);
  });

  it('does not depend on the order answers arrived in', () => {
    const results = [
      ok('nim/meta/a'),
      ok('nim/meta/b'),
      ok('nim/other/a', { updatedDate: '2024-01-01T00:00:00Z' }),
    ];
    const options = { listing: listing(['nim/meta/a', 'nim/meta/b', 'nim/other/a']), euList: [] };
    const forward = resolveCatalog({ ...options, results });
    const backward = resolveCatalog({ ...options, results: [...results].reverse() });
    expect(backward).toEqual(forward);
  });

  it('keeps the newest of two repositories with one name and skips the other', () => {
    const resolved = resolveCatalog({
      listing: listing(['nim/meta/a', 'nim/other/a']),
      results: [ok('nim/meta/a', { updatedDate: '2024-01-01T00:00:00Z' }), ok('nim/other/a')],
      euList: [],
    });
    expect(resolved.models.map((m) => m.namespace)).toEqual(['nim/other']);
    expect(resolved.skipped).toEqual([
      {
        resourceId: 'nim/meta/a',
        reason: 'same name as nim/other/a, which is newer or sorts first',
      },
    ]);
  });

  it('flags models of the EU list and reports list entries not in the catalog', () => {
    const resolved = resolveCatalog({
      listing: listing(['nim/meta/a', 'nim/meta/b']),
      results: [ok('nim/meta/a'), ok('nim/meta/b')],
      euList: [buildEuListEntry('nim/meta/b')!, buildEuListEntry('nim/gone/x')!],
    });
    expect(resolved.models.map((m) => [m.name, m.euRestricted])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(resolved.euRestrictedByList).toEqual(['nim/meta/b']);
    expect(resolved.euListUnmatched).toEqual(['nim/gone/x']);
  });

  it('keeps a model answering 451, flagged, from its catalog entry', () => {
    const resolved = resolveCatalog({
      listing: listing(['nim/meta/a']),
      results: [{ resourceId: 'nim/meta/a', outcome: { kind: 'eu-restricted' } }],
      euList: [],
    });
    expect(resolved.models).toEqual([
      {
        name: 'a',
        displayName: 'Display a',
        shortDescription: 'About a',
        namespace: 'nim/meta',
        tags: ['1.0.0'],
        latestTag: '1.0.0',
        updatedDate: '2025-03-01T00:00:00.000Z',
        euRestricted: true,
      },
    ]);
    expect(resolved.euRestrictedByProbe).toEqual(['nim/meta/a']);
  });

  it('reports catalog skips, 404s and failures with reasons', () => {
    const resolved = resolveCatalog({
      listing: listing(
        ['nim/meta/a', 'nim/meta/b', 'nim/meta/c'],
        [{ resourceId: 'nim/meta/z', reason: 'no latestTag attribute' }],
      ),
      results: [
        ok('nim/meta/a'),
        { resourceId: 'nim/meta/b', outcome: { kind: 'not-found' } },
        { resourceId: 'nim/meta/c', outcome: { kind: 'failed', reason: 'HTTP 500', attempts: 5 } },
      ],
      euList: [],
    });
    expect(resolved.models.map((m) => m.name)).toEqual(['a']);
    expect(resolved.skipped.map((s) => s.resourceId)).toEqual(['nim/meta/b', 'nim/meta/z']);
    expect(resolved.failed).toEqual([{ resourceId: 'nim/meta/c', reason: 'HTTP 500' }]);
  });
});
