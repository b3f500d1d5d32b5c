import { describe, expect, it } from 'vitest';
import { pollUntil } from './api-errors.js';
import { ControlPlaneError } from './errors.js';

describe('pollUntil', () => {
  it('retries errors and undefined until a value comes', async () => {
    let calls = 0;
    const value = await pollUntil(
      'x',
      5000,
      async () => {
        calls++;
        if (calls === 1) throw new Error('not listening yet');
        return calls < 3 ? undefined : 'ready';
      },
      1,
    );
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('times out with the last error as cause', async () => {
    const error = await pollUntil(
      'the thing',
      20,
      async () => {
        throw new Error('refused');
      },
      5,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'start-timeout', message: /the thing/ });
    expect((error as Error).cause).toMatchObject({ message: 'refused' });
  });

  it('stops at once on a ControlPlaneError', async () => {
    const started = Date.now();
    await expect(
      pollUntil('x', 10_000, async () => {
        throw new ControlPlaneError('process-failed', 'exited');
      }),
    ).rejects.toMatchObject({ code: 'process-failed' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
