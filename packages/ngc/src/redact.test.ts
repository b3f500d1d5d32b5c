import { inspect } from 'node:util';

import { describe, expect, it } from 'vitest';

import { describeFailure, redact, toSafeCause } from './redact.js';

const SECRET = 'nvapi-redact-test-secret';

describe('redact', () => {
  it('replaces every occurrence', () => {
    expect(redact(`a ${SECRET} b ${SECRET}`, [SECRET])).toBe('a [REDACTED] b [REDACTED]');
    expect(redact('nothing', [''])).toBe('nothing');
  });
});

describe('toSafeCause', () => {
  it('keeps name, message and code, drops everything else, and redacts', () => {
    const inner = Object.assign(new Error(`header Bearer ${SECRET}`), {
      code: 'ECONNRESET',
      headers: { authorization: `Bearer ${SECRET}` },
    });
    const outer = Object.assign(new TypeError('fetch failed', { cause: inner }), {
      request: { headers: { authorization: SECRET } },
    });
    const safe = toSafeCause(outer, [SECRET]);
    expect(safe.name).toBe('TypeError');
    expect(safe.cause).toMatchObject({ code: 'ECONNRESET', message: 'header Bearer [REDACTED]' });
    const text = `${inspect(safe, { depth: null, showHidden: true })}${JSON.stringify(safe)}`;
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('headers');
  });

  it('wraps non-errors', () => {
    expect(toSafeCause(`x ${SECRET}`, [SECRET]).message).toBe('x [REDACTED]');
  });
});

describe('describeFailure', () => {
  it('joins the cause chain', () => {
    const error = new TypeError('fetch failed', {
      cause: new Error(`connect ECONNREFUSED ${SECRET}`),
    });
    expect(describeFailure(error, [SECRET])).toBe('fetch failed: connect ECONNREFUSED [REDACTED]');
  });
});
