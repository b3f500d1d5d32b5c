import type { RateLimitOptions } from '@fastify/rate-limit';

import type { ServerConfig } from '../config.js';
import { callerKey } from '../identity.js';

/** Per-user limit on the calls that reach NGC with a key: validate, rotate and deploy. */
export function keyRateLimit(config: Pick<ServerConfig, 'keyRateLimit'>): RateLimitOptions {
  return {
    max: config.keyRateLimit.max,
    timeWindow: config.keyRateLimit.timeWindowMs,
    keyGenerator: (request) => callerKey(request),
  };
}
