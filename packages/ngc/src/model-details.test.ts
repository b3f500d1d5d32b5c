import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { ngcCapturePaths } from '@odh-nim/testkit';

import type { CatalogEntry } from './catalog.js';
import { parseModelDetails, type ModelDetails } from './model-details.js';

const capture = JSON.parse(readFileSync(ngcCapturePaths.modelTags, 'utf8')) as Record<
  string,
  unknown
>;
const source = {
  resourceId: 'nim/meta/llama-3.1-8b-instruct',
  name: 'llama-3.1-8b-instruct',
  namespace: 'nim/meta',
};

function mockCatalogEntry(overrides: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    resourceId: 'nim/meta/llama-3.1-8b-instruct',
    org: 'nim',
    team: 'meta',
    name: 'llama-3.1-8b-instruct',
    namespace: 'nim/meta',
    latestTag: '1.15.5',
    displayName: 'Llama from catalog',
    description: 'Catalog description',
    updatedDate: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function parse(json: unknown, catalog?: CatalogEntry): ModelDetails {
  const result = parseModelDetails(json, { ...source, ...(catalog ? { catalog } : {}) });
  if ('error' in result) throw new Error(result.error);
  return result.details;
}

describe('parseModelDetails', () => {
  it('maps the real capture field by field', () => {
    expect(parse(capture)).toEqual({
      name: 'llama-3.1-8b-instruct',
      displayName: 'Llama-3.1-8B-Instruct',
      shortDescription:
        'NVIDIA NIM for GPU accelerated Llama-3.1-8B-Instruct inference through OpenAI compatible APIs',
      namespace: 'nim/meta',
      tags: capture.tags,
      // The details' own latestTag wins over the catalog attribute: it is what NGC calls latest.
      latestTag: 'latest',
      updatedDate: '2026-02-04T19:47:27.380Z',
    });
  });

  it('falls back to the catalog entry and the resource id for missing fields', () => {
    const details = parse({ tags: ['1.15.5', 7, '1.15.5', ''] }, mockCatalogEntry());
    expect(details).toEqual({
      name: 'llama-3.1-8b-instruct',
      displayName: 'Llama from catalog',
      shortDescription: 'Catalog description',
      namespace: 'nim/meta',
      tags: ['1.15.5'],
      latestTag: '1.15.5',
      updatedDate: '2025-01-01T00:00:00.000Z',
    });
  });

  it('uses the newest architecture variant when updatedDate is missing', () => {
    const { updatedDate: _omitted, ...rest } = capture;
    expect(
      parse({
        ...rest,
        latestArchitectureVariants: [
          { createdDate: '2026-01-01T00:00:00.000Z' },
          { createdDate: '2026-03-01T00:00:00.000Z' },
          { createdDate: 'garbage' },
        ],
      }).updatedDate,
    ).toBe('2026-03-01T00:00:00.000Z');
  });

  it('adds the latest tag to a tag list that lacks it', () => {
    expect(parse({ ...capture, tags: null }).tags).toEqual(['latest']);
  });

  it('tolerates null and wrongly typed optional fields', () => {
    const details = parse({ ...capture, displayName: null, shortDescription: 42 });
    expect(details.displayName).toBe('llama-3.1-8b-instruct');
    expect(details.shortDescription).toBe('');
  });

  it('reports what is missing when nothing can fill a required field', () => {
    expect(parseModelDetails({ tags: ['1'] }, source)).toEqual({
      error: 'no latestTag in the details or the catalog',
    });
    expect(parseModelDetails({ latestTag: '1' }, source)).toEqual({
      error: 'no updatedDate in the details or the catalog',
    });
    expect(parseModelDetails({ ...capture, updatedDate: 'yesterday' }, source)).toEqual({
      error: expect.stringContaining('updatedDate') as unknown,
    });
    expect(parseModelDetails([], source)).toHaveProperty('error');
  });
});
