import { createHash } from 'node:crypto';

import type { FastifyRequest } from 'fastify';

import { IDENTITY_HEADERS } from '../api/types.js';
import { unauthenticated } from './errors.js';

/**
 * The caller's bearer token: `Authorization: Bearer …`, else OpenShift oauth-proxy's
 * `X-Forwarded-Access-Token`. `undefined` when neither is present.
 */
export function getBearerToken(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  const authorization = request.headers[IDENTITY_HEADERS.authorization];
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1]) return match[1];
  }
  const forwarded = request.headers[IDENTITY_HEADERS.forwardedAccessToken];
  if (typeof forwarded === 'string' && forwarded.trim().length > 0) return forwarded.trim();
  return undefined;
}

/** The caller's token, or a 401. */
export function requireBearerToken(request: Pick<FastifyRequest, 'headers'>): string {
  const token = getBearerToken(request);
  if (token === undefined) throw unauthenticated();
  return token;
}

/**
 * A stable, non-reversible identity key of the caller (for rate limits and logs): a hash of the
 * token, never the token. Falls back to the client address without one.
 */
export function callerKey(request: Pick<FastifyRequest, 'headers' | 'ip'>): string {
  const token = getBearerToken(request);
  if (token === undefined) return `ip:${request.ip}`;
  return `user:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}
