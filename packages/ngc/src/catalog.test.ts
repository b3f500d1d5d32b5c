import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { ngcCapturePaths } from '@odh-nim/testkit';

import {
  buildCatalogQuery,
  parseCatalogPage,
  parseResourceId,
  type CatalogPage,
} from './catalog.js';

const capture: unknown = JSON.parse(readFileSync(ngcCapturePaths.catalogSearch, 'utf8'));

function parsePage(json: unknown): CatalogPage {
  const page = parseCatalogPage(json);
  if ('error' in page) throw new Error(page.error);
  return page;
}

function mockPage(resources: unknown[], overrides: Record<string, unknown> = {}): unknown {
  return {
    resultTotal: resources.length,
    resultPageTotal: 1,
    params: { page: 0, pageSize: 1000 },
    results: [{ groupValue: 'CONTAINER', totalCount: resources.length, resources }],
    ...overrides,
  };
}

function mockResource(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceId: 'nim/meta/llama-3.1-8b-instruct',
    displayName: 'Llama-3.1-8B-Instruct',
    description: 'A model',
    dateModified: '2025-01-01T00:00:00.000Z',
    attributes: [{ key: 'latestTag', value: '1.15.5' }],
    ...overrides,
  };
}

describe('parseCatalogPage', () => {
  it('reads the real capture, using only the CONTAINER group', () => {
    const page = parsePage(capture);
    expect(page).toMatchObject({ page: 0, pageTotal: 90, resultTotal: 180, skipped: [] });
    // The capture lists the same two models in `_scored` too; they must not be doubled.
    expect(page.entries).toEqual([
      {
        resourceId: 'nim/nvidia/cosmos-embed1',
        org: 'nim',
        team: 'nvidia',
        name: 'cosmos-embed1',
        namespace: 'nim/nvidia',
        latestTag: '1.0.0',
        displayName: 'cosmos-embed1',
        description: expect.stringContaining('Cosmos Embed1 NIM') as unknown,
        updatedDate: '2025-09-08T19:58:53.408Z',
      },
      expect.objectContaining({
        resourceId: 'nim/kakaocorp/kanana-1.5-8b-instruct-2505',
        namespace: 'nim/kakaocorp',
        latestTag: '1.10.1',
      }),
    ]);
  });

  it('ignores groups other than CONTAINER', () => {
    const json = mockPage([]);
    (json as { results: unknown[] }).results.unshift({
      groupValue: '_scored',
      resources: [mockResource()],
    });
    expect(parsePage(json).entries).toEqual([]);
  });

  it('skips resources without a latestTag attribute', () => {
    const page = parsePage(
      mockPage([
        mockResource({ attributes: [{ key: 'size', value: '1' }] }),
        mockResource({ resourceId: 'nim/meta/b', attributes: [{ key: 'latestTag', value: ' ' }] }),
        mockResource({ resourceId: 'nim/meta/c', attributes: undefined }),
      ]),
    );
    expect(page.entries).toEqual([]);
    expect(page.skipped.map((skip) => skip.reason)).toEqual([
      'no latestTag attribute',
      'no latestTag attribute',
      'no latestTag attribute',
    ]);
  });

  it('skips resources with an unusable id and tolerates odd attributes', () => {
    const page = parsePage(
      mockPage([
        mockResource({ resourceId: 'a/b/c/d' }),
        { displayName: 'no id' },
        mockResource({
          attributes: [null, { key: 'latestTag', value: 3 }, { key: 'latestTag', value: '2' }],
        }),
      ]),
    );
    expect(page.skipped).toEqual([
      { resourceId: 'a/b/c/d', reason: 'resourceId is not org/team/name' },
      { resourceId: '(unknown)', reason: 'resource without a resourceId' },
    ]);
    expect(page.entries.map((entry) => entry.latestTag)).toEqual(['2']);
  });

  it('falls back to dateModified without latestTagPushedDate', () => {
    expect(parsePage(mockPage([mockResource()])).entries[0]?.updatedDate).toBe(
      '2025-01-01T00:00:00.000Z',
    );
  });

  it('keeps unknown fields tolerable and reports a non-search body', () => {
    expect(parsePage(mockPage([], { somethingNew: { a: 1 } })).entries).toEqual([]);
    expect(parseCatalogPage({ results: [] })).toEqual({
      error: expect.stringContaining('resultPageTotal') as unknown,
    });
    expect(parseCatalogPage('nope')).toHaveProperty('error');
  });
});

describe('parseResourceId', () => {
  it('splits org/team/name and org/name', () => {
    expect(parseResourceId('nim/meta/llama')).toEqual({ org: 'nim', team: 'meta', name: 'llama' });
    expect(parseResourceId('nim/llama')).toEqual({ org: 'nim', team: undefined, name: 'llama' });
  });

  it('rejects anything else', () => {
    for (const id of ['', 'llama', 'a//b', 'a/b/c/d', '/a/b'])
      expect(parseResourceId(id)).toBeUndefined();
  });
});

describe('buildCatalogQuery', () => {
  it('matches the query the real API is called with', () => {
    expect(buildCatalogQuery({ query: 'orgName:nim', page: 2, pageSize: 1000 })).toBe(
      '{"query":"orgName:nim","page":2,"pageSize":1000}',
    );
  });
});
