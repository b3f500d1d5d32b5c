import { describe, expect, it } from 'vitest';

import { mockModel } from './test-models.js';
import { buildVersionOptions, defaultTag } from './version-options.js';

describe('buildVersionOptions', () => {
  it('orders tags newest first and explains floating aliases', () => {
    const options = buildVersionOptions(mockModel());
    expect(options.map((o) => o.tag)).toEqual(['latest', '1', '1.10', '1.10.1', '1.8.0-rtx']);
    expect(options[0]).toMatchObject({ kind: 'latest', recommended: true, kindLabel: 'Floating' });
    expect(options[0]?.description).toContain('Currently 1.10.1');
    expect(options[1]).toMatchObject({ kind: 'alias', recommended: false });
    expect(options[1]?.description).toBe(
      'Currently 1.10.1; follows new 1.x releases when the pod restarts.',
    );
    expect(options[3]).toMatchObject({ kind: 'version', kindLabel: 'Version' });
    expect(options[4]?.description).toBe('Build variant (rtx) of release 1.8.0.');
  });

  it('marks a numeric latestTag as recommended', () => {
    const options = buildVersionOptions(
      mockModel({ tags: ['1.0.0', '1.2.0', '1'], latestTag: '1' }),
    );
    expect(options.filter((o) => o.recommended).map((o) => o.tag)).toEqual(['1']);
    expect(options.map((o) => o.tag)).toEqual(['1', '1.2.0', '1.0.0']);
  });

  it('adds a latestTag missing from the tag list', () => {
    const options = buildVersionOptions(mockModel({ tags: ['1.0.0'], latestTag: 'latest' }));
    expect(options.map((o) => o.tag)).toEqual(['latest', '1.0.0']);
  });
});

describe('defaultTag', () => {
  it('is the latestTag', () => {
    expect(defaultTag(mockModel({ latestTag: '1.3' }))).toBe('1.3');
  });
});
