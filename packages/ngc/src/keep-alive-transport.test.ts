import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { createEmulatorTls, startNgcEmulator } from '@odh-nim/testkit';

import { createKeepAliveTransport, type KeepAliveTransport } from './keep-alive-transport.js';

let server: Server | undefined;
let transport: KeepAliveTransport | undefined;
afterEach(async () => {
  transport?.destroy();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A local server answering `handler`, counting the TCP connections it accepted. */
async function startServer(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: URL; connections: () => number }> {
  let connections = 0;
  server = createServer(handler);
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/x`), connections: () => connections };
}

const get = (url: URL, signal = AbortSignal.timeout(5000)) => ({
  url,
  method: 'GET' as const,
  headers: {},
  signal,
});

describe('createKeepAliveTransport', () => {
  it('reuses one connection for requests in turn', async () => {
    const { url, connections } = await startServer((_req, res) => res.end('{"ok":true}'));
    transport = createKeepAliveTransport({ maxSocketsPerHost: 4 });
    for (let index = 0; index < 20; index += 1) {
      const answer = await transport.send(get(url));
      expect(await answer.text()).toBe('{"ok":true}');
    }
    expect(connections()).toBe(1);
  });

  it('opens at most maxSocketsPerHost connections to one host', async () => {
    const { url, connections } = await startServer((_req, res) => {
      setTimeout(() => res.end('{}'), 20);
    });
    transport = createKeepAliveTransport({ maxSocketsPerHost: 3 });
    const send = transport.send;
    const bodies = await Promise.all(
      Array.from({ length: 12 }, async () => (await send(get(url))).text()),
    );
    expect(bodies).toEqual(Array.from({ length: 12 }, () => '{}'));
    expect(connections()).toBe(3);
  });

  it('sends a body with its length and reads status and headers', async () => {
    const { url } = await startServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(429, { 'Retry-After': '3' });
        res.end(`${req.headers['content-length']}:${body}`);
      });
    });
    transport = createKeepAliveTransport({ maxSocketsPerHost: 1 });
    const answer = await transport.send({ ...get(url), method: 'POST', body: 'a=1' });
    expect(answer.status).toBe(429);
    expect(answer.header('Retry-After')).toBe('3');
    expect(await answer.text()).toBe('3:a=1');
  });

  it('rejects a body cut short', async () => {
    const { url } = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': 100 });
      res.write('{"half":', () => res.socket?.destroy());
    });
    transport = createKeepAliveTransport({ maxSocketsPerHost: 1 });
    const answer = await transport.send(get(url));
    await expect(answer.text()).rejects.toThrow();
  });

  it('aborts a request that hangs', async () => {
    const { url } = await startServer(() => undefined);
    transport = createKeepAliveTransport({ maxSocketsPerHost: 1 });
    await expect(transport.send(get(url, AbortSignal.timeout(50)))).rejects.toThrow();
  });

  it('speaks TLS to a server its extra CA vouches for', async () => {
    const tls = createEmulatorTls();
    const emulator = await startNgcEmulator({ catalog: [], tls });
    try {
      transport = createKeepAliveTransport({ maxSocketsPerHost: 1, extraCa: tls.caPem });
      const url = new URL('/v2/search/catalog/resources/CONTAINER', emulator.url);
      const answer = await transport.send(get(url));
      expect(answer.status).toBe(200);
      expect(JSON.parse(await answer.text())).toMatchObject({ resultTotal: 0 });
      const untrusted = createKeepAliveTransport({ maxSocketsPerHost: 1 });
      await expect(untrusted.send(get(url))).rejects.toThrow(/certificate/);
      untrusted.destroy();
    } finally {
      await emulator.stop();
    }
  });
});
