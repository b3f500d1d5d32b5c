import { describe, expect, it } from 'vitest';

import { FaultBook } from './faults.js';

describe('FaultBook', () => {
  it('applies a counted fault to the next N matching requests only', () => {
    const book = new FaultBook();
    book.set([{ route: 'catalog', times: 2, fault: { type: 'status', status: 503 } }]);
    expect(book.take({ route: 'details' }).fault).toBeUndefined();
    expect(book.take({ route: 'catalog' }).fault).toEqual({ type: 'status', status: 503 });
    expect(book.take({ route: 'catalog' }).fault).toEqual({ type: 'status', status: 503 });
    expect(book.take({ route: 'catalog' }).fault).toBeUndefined();
    expect(book.pending()).toEqual([]);
  });

  it('adds up latencies and lets the first other fault win without using up later ones', () => {
    const book = new FaultBook(() => 0.5);
    book.set([
      { fault: { type: 'latency', ms: 10 } },
      { fault: { type: 'latency', minMs: 0, maxMs: 100 } },
      { times: 1, fault: { type: 'hang' } },
      { times: 1, fault: { type: 'malformed-json' } },
    ]);
    expect(book.take({ route: 'details' })).toEqual({ delayMs: 60, fault: { type: 'hang' } });
    expect(book.take({ route: 'details' })).toEqual({
      delayMs: 60,
      fault: { type: 'malformed-json' },
    });
    expect(book.take({ route: 'details' }).fault).toBeUndefined();
  });

  it('matches a model by name or resource id', () => {
    const book = new FaultBook();
    book.add({ model: 'llama', fault: { type: 'status', status: 451 } });
    book.add({ model: 'nim/meta/other', fault: { type: 'hang' } });
    expect(
      book.take({ route: 'details', name: 'llama', resourceId: 'nim/meta/llama' }).fault,
    ).toEqual({ type: 'status', status: 451 });
    expect(
      book.take({ route: 'details', name: 'other', resourceId: 'nim/meta/other' }).fault,
    ).toEqual({ type: 'hang' });
    expect(book.take({ route: 'catalog' }).fault).toBeUndefined();
  });

  it('resets counts when rules are replaced', () => {
    const book = new FaultBook();
    const rules = [{ times: 1, fault: { type: 'hang' as const } }];
    book.set(rules);
    book.take({ route: 'catalog' });
    book.set(rules);
    expect(book.pending()).toEqual([{ rule: rules[0], remaining: 1 }]);
  });
});
