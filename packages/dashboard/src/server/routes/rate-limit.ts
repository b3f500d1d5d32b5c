import type { RateLimitOptions } from '@fastify/rate-limit';

import type { ServerConfig } from '../config.js';
import { callerKey } from '../identity.js';

/** Route config of the per-user limit on calls that reach NGC with a key. */
export function keyRateLimit(config: Pick<ServerConfig, 'keyRateLimit'>): RateLimitOptions {
  return {
    max: config.keyRateLimit.max,
    timeWindow: config.keyRateLimit.timeWindowMs,
    keyGenerator: (request) => callerKey(request),
  };
}
