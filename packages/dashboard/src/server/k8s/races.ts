import { DashboardError } from '../errors.js';
import { isConflict, isNotFound } from './errors.js';

/**
 * One attempt of a read-modify-write lost to another writer: the object changed, appeared or
 * went after it was read. Read again and retry.
 */
export class LostRace extends Error {
  override name = 'LostRace';
  constructor(readonly reason: unknown) {
    super('another writer changed the object first', { cause: reason });
  }
}

/** Runs a write; a 409 (changed, or created meanwhile) or 404 (deleted meanwhile) is a {@link LostRace}. */
export async function raceable<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isConflict(error) || isNotFound(error)) throw new LostRace(error);
    throw error;
  }
}

/** How many times a lost race is retried: enough for ten deploys writing one Secret at once. */
export const MAX_RACE_ATTEMPTS = 12;

export interface RetryOptions {
  attempts?: number;
  /** Waits between attempts (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Runs `attempt` until it does not lose a race, at most {@link MAX_RACE_ATTEMPTS} times, waiting
 * a jittered, growing pause in between; then a 409 `conflict` about `what`.
 */
export async function retryLostRaces<T>(
  what: string,
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? MAX_RACE_ATTEMPTS;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  for (let number = 1; ; number++) {
    try {
      return await attempt(number);
    } catch (error) {
      if (!(error instanceof LostRace)) throw error;
      if (number >= attempts) {
        throw new DashboardError(
          'conflict',
          `${what} kept changing while this request updated it (${attempts} attempts); try again.`,
          { status: 409, cause: error.reason },
        );
      }
      // Full jitter: writers that collided spread out instead of colliding again.
      await sleep(Math.round(random() * Math.min(400, 10 * 2 ** number)));
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
