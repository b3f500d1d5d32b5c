import { describe, expect, it } from 'vitest';

import {
  describeVersionCount,
  filterModels,
  formatUpdated,
  listPublishers,
  publisherLabel,
} from './model-filter.js';
import { mockModel } from './test-models.js';

const llama = mockModel();
const mistral = mockModel({
  name: 'mistral-7b-instruct-v0.3',
  displayName: 'Mistral 7B Instruct v0.3',
  shortDescription: 'A small instruct model.',
  namespace: 'nim/mistralai',
});
const embed = mockModel({
  name: 'nv-embedqa-e5-v5',
  displayName: 'NV-EmbedQA-E5-v5',
  shortDescription: 'Embedding model tuned for llama retrieval pipelines.',
  namespace: 'nim/nvidia',
});
const vision = mockModel({
  name: 'llama-3.2-90b-vision-instruct',
  displayName: 'Llama 3.2 90B Vision Instruct',
  euRestricted: true,
});
const catalog = [vision, embed, mistral, llama];

describe('filterModels', () => {
  it('lists every model by display name when the filter is empty', () => {
    expect(filterModels(catalog, { query: '', publisher: '' }).map((m) => m.name)).toEqual([
      llama.name,
      vision.name,
      mistral.name,
      embed.name,
    ]);
  });

  it('matches every word, case-insensitively, name matches before description matches', () => {
    expect(filterModels(catalog, { query: 'LLAMA', publisher: '' }).map((m) => m.name)).toEqual([
      llama.name,
      vision.name,
      embed.name,
    ]);
    expect(filterModels(catalog, { query: 'llama vision', publisher: '' })).toEqual([vision]);
    expect(filterModels(catalog, { query: 'nim/mistralai', publisher: '' })).toEqual([mistral]);
    expect(filterModels(catalog, { query: 'no such thing', publisher: '' })).toEqual([]);
  });

  it('narrows to one NGC namespace', () => {
    expect(filterModels(catalog, { query: '', publisher: 'nim/nvidia' })).toEqual([embed]);
    expect(filterModels(catalog, { query: 'mistral', publisher: 'nim/meta' })).toEqual([]);
  });

  it('never hides EU-restricted models', () => {
    expect(filterModels(catalog, { query: 'vision', publisher: 'nim/meta' })).toEqual([vision]);
  });
});

describe('listPublishers', () => {
  it('counts models per NGC namespace, most first', () => {
    expect(listPublishers(catalog)).toEqual([
      { namespace: 'nim/meta', label: 'meta', count: 2 },
      { namespace: 'nim/mistralai', label: 'mistralai', count: 1 },
      { namespace: 'nim/nvidia', label: 'nvidia', count: 1 },
    ]);
  });
});

describe('publisherLabel', () => {
  it('uses the team part of the namespace', () => {
    expect(publisherLabel('nim/meta')).toBe('meta');
    expect(publisherLabel('nvidia')).toBe('nvidia');
  });
});

describe('formatUpdated', () => {
  it('formats in UTC, and passes through what is not a date', () => {
    expect(formatUpdated('2025-07-07T23:59:59Z')).toBe('Jul 7, 2025');
    expect(formatUpdated('soon')).toBe('soon');
  });
});

describe('describeVersionCount', () => {
  it('counts distinct tags', () => {
    expect(describeVersionCount({ tags: ['1'] })).toBe('1 version');
    expect(describeVersionCount({ tags: ['1', '1.0', '1'] })).toBe('2 versions');
  });
});
