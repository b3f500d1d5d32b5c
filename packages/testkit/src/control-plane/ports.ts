import { createServer } from 'node:net';
import { ControlPlaneError } from './errors.js';

// Ports handed out by this process; the OS may offer a just-closed port again before the
// process we give it to has bound it, so never hand out the same one twice.
const handedOut = new Set<number>();

function listenOnce(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A TCP port on `host` (default 127.0.0.1) that is free now and was not handed out before by
 * this process. Racy by nature, like every "find a free port": bind it soon.
 */
export async function getFreePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    let port: number;
    try {
      port = await listenOnce(host);
    } catch (cause) {
      throw new ControlPlaneError('port-unavailable', `cannot bind a port on ${host}`, { cause });
    }
    if (port > 0 && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new ControlPlaneError('port-unavailable', `no unused port found on ${host}`);
}
