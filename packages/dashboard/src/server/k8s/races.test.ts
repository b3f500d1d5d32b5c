import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';

import { DashboardError } from '../errors.js';
import { LostRace, raceable, retryLostRaces } from './races.js';

const status = (code: number, reason: string) =>
  new ApiException(code, reason, JSON.stringify({ kind: 'Status', reason, message: 'm' }), {});
const noSleep = { sleep: async () => undefined, random: () => 0.5 };

describe('raceable', () => {
  it('turns a 409 or a 404 into a lost race, and lets every other failure through', async () => {
    await expect(raceable(Promise.reject(status(409, 'Conflict')))).rejects.toBeInstanceOf(
      LostRace,
    );
    await expect(raceable(Promise.reject(status(409, 'AlreadyExists')))).rejects.toBeInstanceOf(
      LostRace,
    );
    await expect(raceable(Promise.reject(status(404, 'NotFound')))).rejects.toBeInstanceOf(
      LostRace,
    );
    await expect(raceable(Promise.reject(status(403, 'Forbidden')))).rejects.toBeInstanceOf(
      ApiException,
    );
    await expect(raceable(Promise.resolve('ok'))).resolves.toBe('ok');
  });
});

describe('retryLostRaces', () => {
  it('reads and tries again after a lost race, with growing jittered pauses', async () => {
    const pauses: number[] = [];
    let attempts = 0;
    const result = await retryLostRaces(
      'Secret s',
      async (attempt) => {
        attempts = attempt;
        if (attempt < 4) throw new LostRace(status(409, 'Conflict'));
        return 'written';
      },
      { sleep: async (ms) => void pauses.push(ms), random: () => 1 },
    );
    expect(result).toBe('written');
    expect(attempts).toBe(4);
    expect(pauses).toEqual([20, 40, 80]);
  });

  it('gives up after the bound with a 409 conflict naming the object', async () => {
    let attempts = 0;
    const failing = retryLostRaces(
      'Secret s',
      async () => {
        attempts++;
        throw new LostRace(status(409, 'Conflict'));
      },
      { ...noSleep, attempts: 3 },
    );
    await expect(failing).rejects.toBeInstanceOf(DashboardError);
    await expect(failing).rejects.toMatchObject({
      code: 'conflict',
      status: 409,
      message: expect.stringContaining('Secret s kept changing'),
    });
    expect(attempts).toBe(3);
  });

  it('does not retry other failures', async () => {
    let attempts = 0;
    await expect(
      retryLostRaces(
        'x',
        async () => {
          attempts++;
          throw new Error('boom');
        },
        noSleep,
      ),
    ).rejects.toThrow('boom');
    expect(attempts).toBe(1);
  });
});
