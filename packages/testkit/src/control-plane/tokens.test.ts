import { describe, expect, it } from 'vitest';
import { assertValidUser, buildTokenFile, generateToken } from './tokens.js';

describe('generateToken', () => {
  it('returns distinct 64-char hex tokens', () => {
    const a = generateToken();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(generateToken()).not.toBe(a);
  });
});

describe('buildTokenFile', () => {
  it('writes one CSV line per user, quoting the group list', () => {
    expect(
      buildTokenFile([
        { name: 'admin', groups: ['system:masters'], token: 't1' },
        { name: 'alice', groups: ['team-a', 'team-b'], token: 't2' },
        { name: 'bob', groups: [], token: 't3' },
      ]),
    ).toBe('t1,admin,admin,"system:masters"\nt2,alice,alice,"team-a,team-b"\nt3,bob,bob\n');
  });

  it('rejects duplicate users and tokens', () => {
    expect(() =>
      buildTokenFile([
        { name: 'a', groups: [], token: 't1' },
        { name: 'a', groups: [], token: 't2' },
      ]),
    ).toThrow(/duplicate user/);
    expect(() =>
      buildTokenFile([
        { name: 'a', groups: [], token: 't1' },
        { name: 'b', groups: [], token: 't1' },
      ]),
    ).toThrow(/duplicate token/);
  });

  it.each(['a,b', 'a"b', 'a b', '', 'new\nline'])('rejects the unsafe name %j', (name) => {
    expect(() => buildTokenFile([{ name, groups: [], token: 't' }])).toThrow(
      expect.objectContaining({ code: 'invalid-user' }),
    );
  });

  it('rejects an unsafe group', () => {
    expect(() => assertValidUser('alice', ['ok', 'x,y'])).toThrow(/x,y/);
  });
});
