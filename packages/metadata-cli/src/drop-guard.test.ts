import { describe, expect, it } from 'vitest';

import { checkModelDrop, parseDropShare } from './drop-guard.js';

const names = (count: number): string[] => Array.from({ length: count }, (_, i) => `model-${i}`);

describe('checkModelDrop', () => {
  it('allows a drop at the limit and refuses one above it', () => {
    const previous = names(10);
    const atLimit = checkModelDrop({ previous, next: previous.slice(1), maxDropShare: 0.1 });
    expect(atLimit).toMatchObject({ previous: 10, dropped: ['model-0'], exceeds: false });
    const above = checkModelDrop({ previous, next: previous.slice(2), maxDropShare: 0.1 });
    expect(above).toMatchObject({ dropped: ['model-0', 'model-1'], share: 0.2, exceeds: true });
  });

  it('does not count added models', () => {
    const drop = checkModelDrop({ previous: names(3), next: names(30), maxDropShare: 0 });
    expect(drop).toMatchObject({ dropped: [], share: 0, exceeds: false });
  });

  it('accepts anything after an empty catalog', () => {
    expect(checkModelDrop({ previous: [], next: [], maxDropShare: 0 }).exceeds).toBe(false);
  });

  it('treats a zero limit as "drop nothing"', () => {
    expect(
      checkModelDrop({ previous: names(200), next: names(199), maxDropShare: 0 }).exceeds,
    ).toBe(true);
  });
});

describe('parseDropShare', () => {
  it('reads shares and percentages', () => {
    expect(parseDropShare('0.1')).toBe(0.1);
    expect(parseDropShare('25%')).toBe(0.25);
    expect(parseDropShare('1')).toBe(1);
    expect(parseDropShare('0')).toBe(0);
  });

  it('rejects anything outside [0, 1]', () => {
    for (const value of ['', '%', '-0.1', '1.5', '150%', 'ten']) {
      expect(parseDropShare(value)).toBeUndefined();
    }
  });
});
