import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { getFreePort } from './ports.js';

describe('getFreePort', () => {
  it('returns distinct ports that can be bound on 127.0.0.1', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => getFreePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports.slice(0, 3)) {
      await new Promise<void>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
      });
    }
  });

  it('fails with a typed error when the host cannot be bound', async () => {
    await expect(getFreePort('192.0.2.1')).rejects.toMatchObject({ code: 'port-unavailable' });
  });
});
