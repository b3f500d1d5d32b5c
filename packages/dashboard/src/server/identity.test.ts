import { describe, expect, it } from 'vitest';

import { callerKey, getBearerToken, requireBearerToken } from './identity.js';

describe('getBearerToken', () => {
  it('reads Authorization, then X-Forwarded-Access-Token', () => {
    expect(getBearerToken({ headers: { authorization: 'Bearer abc' } })).toBe('abc');
    expect(getBearerToken({ headers: { authorization: 'bearer  abc ' } })).toBe('abc');
    expect(getBearerToken({ headers: { 'x-forwarded-access-token': 'xyz' } })).toBe('xyz');
    expect(getBearerToken({ headers: { authorization: 'Basic Zm9vOmJhcg==' } })).toBeUndefined();
    expect(getBearerToken({ headers: {} })).toBeUndefined();
  });
});

describe('requireBearerToken', () => {
  it('throws a 401 without a token', () => {
    expect(() => requireBearerToken({ headers: {} })).toThrow(
      expect.objectContaining({ status: 401, code: 'unauthenticated' }),
    );
  });
});

describe('callerKey', () => {
  it('is stable per token and never the token', () => {
    const a = callerKey({ headers: { authorization: 'Bearer token-a' }, ip: '1.2.3.4' });
    expect(a).toBe(
      callerKey({ headers: { 'x-forwarded-access-token': 'token-a' }, ip: '5.6.7.8' }),
    );
    expect(a).not.toContain('token-a');
    expect(a).not.toBe(callerKey({ headers: { authorization: 'Bearer token-b' }, ip: '1.2.3.4' }));
    expect(callerKey({ headers: {}, ip: '1.2.3.4' })).toBe('ip:1.2.3.4');
  });
});
