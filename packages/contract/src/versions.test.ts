import { describe, expect, it } from 'vitest';

import { compareTags, describeTags, newestVersion, sortTags } from './versions.js';

describe('sortTags', () => {
  it('orders versions numerically, newest first, not as strings', () => {
    expect(sortTags(['1.9.0', '1.10.0', '1.2.0'])).toEqual(['1.10.0', '1.9.0', '1.2.0']);
  });

  it('puts latest first and each alias just above the versions it floats over', () => {
    expect(sortTags(['1.10', '1.9.0', 'latest', '1', '1.10.1', '2.0.0'])).toEqual([
      'latest',
      '2.0.0',
      '1',
      '1.10',
      '1.10.1',
      '1.9.0',
    ]);
  });

  it('places build variants after the plain version, newest variant first, names last', () => {
    expect(sortTags(['1.14.0-pb5.1', 'rtx-latest', '1.14.0', '1.14.0-pb5.3', '1.15.0'])).toEqual([
      '1.15.0',
      '1.14.0',
      '1.14.0-pb5.3',
      '1.14.0-pb5.1',
      'rtx-latest',
    ]);
  });

  it('drops duplicates and leaves the input untouched', () => {
    const tags = ['1.0.0', '1.0.0', '2.0.0'];
    expect(sortTags(tags)).toEqual(['2.0.0', '1.0.0']);
    expect(tags).toEqual(['1.0.0', '1.0.0', '2.0.0']);
  });

  it('is a consistent comparator (antisymmetric)', () => {
    const tags = ['latest', '1', '1.2', '1.2.3', '1.2.3-rtx', 'dev', '0.9'];
    for (const a of tags)
      for (const b of tags)
        expect(Math.sign(compareTags(a, b)) + Math.sign(compareTags(b, a))).toBe(0);
  });
});

describe('describeTags', () => {
  it('resolves aliases and latest to the newest concrete version under them', () => {
    const info = describeTags(['latest', '1', '1.10', '1.10.1', '1.9', '1.9.2', '1.9.1']);
    expect(info).toEqual([
      { tag: 'latest', kind: 'latest', resolvesTo: '1.10.1' },
      { tag: '1', kind: 'alias', resolvesTo: '1.10.1' },
      { tag: '1.10', kind: 'alias', resolvesTo: '1.10.1' },
      { tag: '1.10.1', kind: 'version' },
      { tag: '1.9', kind: 'alias', resolvesTo: '1.9.2' },
      { tag: '1.9.2', kind: 'version' },
      { tag: '1.9.1', kind: 'version' },
    ]);
  });

  it('treats a short tag with nothing under it as a version', () => {
    expect(describeTags(['24.05'])).toEqual([{ tag: '24.05', kind: 'version' }]);
  });

  it('marks variants and other names', () => {
    expect(describeTags(['1.8.0-rtx', 'rtx-latest']).map((t) => t.kind)).toEqual([
      'variant',
      'other',
    ]);
  });
});

describe('newestVersion', () => {
  it('skips aliases and variants', () => {
    expect(newestVersion(['latest', '2', '2.1.0-rtx', '2.0.1', '1.9.9'])).toBe('2.0.1');
  });

  it('is undefined when only aliases exist', () => {
    expect(newestVersion(['latest'])).toBeUndefined();
  });
});
