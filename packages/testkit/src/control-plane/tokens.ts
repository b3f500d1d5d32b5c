import { randomBytes } from 'node:crypto';
import { ControlPlaneError } from './errors.js';

/** A user of the kube-apiserver's static token file. */
export interface TokenUser {
  readonly name: string;
  readonly groups: readonly string[];
  readonly token: string;
}

/** A random bearer token, 32 bytes hex. */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

// The file is CSV without escapes for commas inside a group list: keep names to safe chars.
const SAFE = /^[A-Za-z0-9][A-Za-z0-9:._@-]*$/;

/** Throws unless `name` and `groups` can be written to a token file or a certificate subject. */
export function assertValidUser(name: string, groups: readonly string[]): void {
  for (const value of [name, ...groups]) {
    if (!SAFE.test(value)) {
      throw new ControlPlaneError(
        'invalid-user',
        `invalid user or group name '${value}': use letters, digits and : . _ @ -`,
      );
    }
  }
}

/**
 * The content of a `--token-auth-file`: one `token,user,uid,"group1,group2"` line per user.
 * Throws on duplicate users or tokens, or unsafe names.
 */
export function buildTokenFile(users: readonly TokenUser[]): string {
  const names = new Set<string>();
  const tokens = new Set<string>();
  const lines = users.map((u) => {
    assertValidUser(u.name, u.groups);
    if (!/^[A-Za-z0-9._-]+$/.test(u.token)) {
      throw new ControlPlaneError('invalid-user', `token of '${u.name}' has unsafe characters`);
    }
    if (names.has(u.name))
      throw new ControlPlaneError('invalid-user', `duplicate user '${u.name}'`);
    if (tokens.has(u.token))
      throw new ControlPlaneError('invalid-user', `duplicate token for '${u.name}'`);
    names.add(u.name);
    tokens.add(u.token);
    const line = `${u.token},${u.name},${u.name}`;
    return u.groups.length > 0 ? `${line},"${u.groups.join(',')}"` : line;
  });
  return lines.join('\n') + '\n';
}
