import { describe, expect, it } from 'vitest';

import {
  diffCatalogs,
  formatDiffJson,
  formatDiffMarkdown,
  formatDiffText,
  isEmptyDiff,
} from './catalog-diff.js';
import { mockModelEntry } from './test-helpers.js';

const a = mockModelEntry({ name: 'a-model', tags: ['1.0.0', '1'], latestTag: '1' });
const b = mockModelEntry({ name: 'b-model' });
const c = mockModelEntry({ name: 'c-model', namespace: 'nim/nvidia' });

describe('diffCatalogs', () => {
  it('finds nothing between equal catalogs, ignoring tag order', () => {
    const reordered = { ...a, tags: ['1', '1.0.0'] };
    const diff = diffCatalogs([a, b], [b, reordered]);
    expect(isEmptyDiff(diff)).toBe(true);
    expect(diff.unchanged).toBe(2);
  });

  it('lists added and removed models by name', () => {
    const diff = diffCatalogs([c, a], [b, a]);
    expect(diff.added.map((m) => m.name)).toEqual(['b-model']);
    expect(diff.removed.map((m) => m.name)).toEqual(['c-model']);
    expect(diff).toMatchObject({ before: 2, after: 2, unchanged: 1 });
  });

  it('reports tags added and removed, newest first, and latestTag changes', () => {
    const next = { ...a, tags: ['1.1.0', '1', '1.2.0'], latestTag: '1.2.0' };
    const [change] = diffCatalogs([a], [next]).changed;
    expect(change).toEqual({
      name: 'a-model',
      tagsAdded: ['1.2.0', '1.1.0'],
      tagsRemoved: ['1.0.0'],
      latestTag: { from: '1', to: '1.2.0' },
      fields: [],
    });
  });

  it('reports euRestricted and other field changes', () => {
    const next = { ...b, euRestricted: true, updatedDate: '2025-06-01T00:00:00.000Z' };
    const [change] = diffCatalogs([b], [next]).changed;
    expect(change?.euRestricted).toEqual({ from: false, to: true });
    expect(change?.fields).toEqual([
      { field: 'updatedDate', from: b.updatedDate, to: '2025-06-01T00:00:00.000Z' },
    ]);
  });
});

describe('formatDiffText', () => {
  it('says so when nothing changed', () => {
    expect(formatDiffText(diffCatalogs([a], [a]))).toBe('No differences: 1 models.\n');
  });

  it('shows added, removed and changed models', () => {
    const next = { ...a, latestTag: '1.0.0', euRestricted: true };
    const text = formatDiffText(diffCatalogs([a, c], [next, b]));
    expect(text).toContain('Catalog: 2 -> 2 models (1 added, 1 removed, 1 changed, 0 unchanged)');
    expect(text).toContain('  + b-model (nim/meta) latest latest');
    expect(text).toContain('  - c-model (nim/nvidia)');
    expect(text).toContain('      latestTag: 1 -> 1.0.0');
    expect(text).toContain('      euRestricted: false -> true');
  });
});

describe('formatDiffMarkdown', () => {
  it('renders tables for the pull request', () => {
    const next = { ...a, tags: [...a.tags, '1.1.0'], euRestricted: true };
    const md = formatDiffMarkdown(diffCatalogs([a, c], [next, b]));
    expect(md).toContain('**2 → 2 models**: 1 added, 1 removed, 1 changed, 0 unchanged.');
    expect(md).toContain('### Added (1)');
    expect(md).toContain('| `b-model` | `nim/meta` | `latest` |');
    expect(md).toContain('### Removed (1)');
    expect(md).toContain('| `a-model` | `1.1.0` |  |  | no → ⚠️ yes |  |');
  });

  it('escapes pipes in cells', () => {
    const odd = mockModelEntry({ name: 'odd', tags: ['a|b'], latestTag: 'a|b' });
    expect(formatDiffMarkdown(diffCatalogs([], [odd]))).toContain('`a\\|b`');
  });
});

describe('formatDiffJson', () => {
  it('is parseable with a summary', () => {
    const json: unknown = JSON.parse(formatDiffJson(diffCatalogs([a, c], [a, b])));
    expect(json).toMatchObject({
      summary: { before: 2, after: 2, added: 1, removed: 1, changed: 0, unchanged: 1 },
      added: [{ name: 'b-model' }],
      removed: [{ name: 'c-model' }],
    });
  });
});
