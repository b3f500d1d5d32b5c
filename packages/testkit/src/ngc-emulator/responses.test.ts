import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import type { ModelEntry } from '@odh-nim/contract';

import { ngcCapturePaths } from './reference-data.js';
import {
  buildCatalogSearchResponse,
  buildModelDetailsResponse,
  loadNgcTemplates,
  paginate,
} from './responses.js';

const readCapture = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

function mockEntry(overrides: Partial<ModelEntry> = {}): ModelEntry {
  return {
    name: 'llama-3.1-8b-instruct',
    displayName: 'Llama-3.1-8B-Instruct',
    shortDescription:
      'NVIDIA NIM for GPU accelerated Llama-3.1-8B-Instruct inference through OpenAI compatible APIs',
    namespace: 'nim/meta',
    tags: ['1.15.5', 'latest'],
    latestTag: 'latest',
    updatedDate: '2026-02-04T19:47:27.380Z',
    euRestricted: false,
    ...overrides,
  };
}

/** The two models of catalog_search.json, as catalog entries. */
const captureEntries: ModelEntry[] = [
  mockEntry({
    name: 'cosmos-embed1',
    displayName: 'cosmos-embed1',
    shortDescription:
      'Cosmos Embed1 NIM is an NVIDIA Inference Microservice (NIM) that provides access to the **Cosmos-Embed1** joint video-text embedding model via a standard HTTP API.',
    namespace: 'nim/nvidia',
    latestTag: '1.0.0',
    updatedDate: '2025-09-08T19:58:53.408Z',
  }),
  mockEntry({
    name: 'kanana-1.5-8b-instruct-2505',
    displayName: 'kanana-1.5-8b-instruct-2505',
    shortDescription:
      'NVIDIA NIM for GPU accelerated kanana-1.5-8b-instruct-2505 inference through OpenAI compatible APIs',
    namespace: 'nim/kakaocorp',
    latestTag: '1.10.1',
    updatedDate: '2025-07-28T17:13:04.071Z',
  }),
];

/** Every key path of a JSON value, arrays collapsed to `[]`. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value))
    return [...new Set(value.flatMap((item) => keyPaths(item, `${prefix}[]`)))];
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, `${prefix}.${key}`));
}

describe('paginate', () => {
  const items = [...Array(180).keys()];

  it('computes resultPageTotal as the capture does (180 at 2 → 90)', () => {
    expect(paginate(items, 0, 2)).toEqual({ slice: [0, 1], pageTotal: 90 });
  });

  it('returns a short last page and nothing past the end', () => {
    expect(paginate(items, 25, 7)).toEqual({ slice: [175, 176, 177, 178, 179], pageTotal: 26 });
    expect(paginate(items, 26, 7).slice).toEqual([]);
    expect(paginate([], 0, 7)).toEqual({ slice: [], pageTotal: 0 });
  });
});

describe('buildCatalogSearchResponse', () => {
  it('reproduces the capture from its own two models', async () => {
    const { catalogSearch } = await loadNgcTemplates();
    const built = buildCatalogSearchResponse(catalogSearch, {
      entries: captureEntries,
      page: 0,
      pageSize: 2,
    });
    const capture = readCapture(ngcCapturePaths.catalogSearch);
    // The capture's totals describe the real catalog of 180; everything else must match.
    expect({ ...built, resultTotal: 180, resultPageTotal: 90 }).toEqual({
      ...capture,
      results: (capture.results as Record<string, unknown>[]).map((group) => ({
        ...group,
        totalCount: group.groupValue === 'CONTAINER' ? 2 : group.totalCount,
        resources: (group.resources as Record<string, unknown>[]).map((resource) => ({
          ...resource,
          // Fields a catalog entry does not carry: template values, or derived from updatedDate.
          labels: expect.any(Array) as unknown,
          dateModified: expect.any(String) as unknown,
          msgTimestamp: expect.any(Number) as unknown,
          attributes: expect.any(Array) as unknown,
          dateCreated: expect.any(String) as unknown,
          weightPopular: expect.any(Number) as unknown,
        })),
      })),
    });
  });

  it('keeps every field of the capture on every page', async () => {
    const { catalogSearch } = await loadNgcTemplates();
    const entries = Array.from({ length: 5 }, (_, index) => mockEntry({ name: `model-${index}` }));
    const built = buildCatalogSearchResponse(catalogSearch, { entries, page: 2, pageSize: 2 });
    expect(keyPaths(built).sort()).toEqual(
      keyPaths(readCapture(ngcCapturePaths.catalogSearch)).sort(),
    );
    expect(built).toMatchObject({
      resultTotal: 5,
      resultPageTotal: 3,
      params: { page: 2, pageSize: 2 },
    });
    const [scored, container] = built.results as {
      groupValue: string;
      resources: { name: string }[];
    }[];
    expect(scored?.groupValue).toBe('_scored');
    expect(scored?.resources.map((resource) => resource.name)).toEqual(['model-0', 'model-1']);
    expect(container?.resources.map((resource) => resource.name)).toEqual(['model-4']);
  });

  it('omits the latestTag attribute of chosen models', async () => {
    const { catalogSearch } = await loadNgcTemplates();
    const built = buildCatalogSearchResponse(catalogSearch, {
      entries: [mockEntry()],
      page: 0,
      pageSize: 10,
      withoutLatestTag: new Set(['llama-3.1-8b-instruct']),
    });
    expect(JSON.stringify(built.results)).not.toContain('"latestTag"');
  });
});

describe('buildModelDetailsResponse', () => {
  it('reproduces model_tags.json for the same model', async () => {
    const { modelTags } = await loadNgcTemplates();
    const capture = readCapture(ngcCapturePaths.modelTags);
    const entry = mockEntry({ tags: capture.tags as string[] });
    const built = buildModelDetailsResponse(modelTags, entry);
    const { logo: _logo, ...withoutLogo } = capture;
    expect(built).toEqual({
      ...withoutLogo,
      labels: (capture.labels as string[]).filter((label) => !/llama/i.test(label)),
      description: expect.stringContaining(entry.shortDescription) as unknown,
    });
  });
});
