import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { IDENTITY_HEADERS } from '../api/types.js';

export interface OAuthProxyOptions {
  /** Where the backend listens, e.g. `http://127.0.0.1:41234`. */
  upstream: string;
  /** The signed-in user's token, forwarded as OpenShift's oauth-proxy does. */
  token: string;
  host?: string;
  port?: number;
}

/**
 * A local stand-in for OpenShift's oauth-proxy: the browser never holds a token; the proxy adds
 * the signed-in user's as `X-Forwarded-Access-Token`. Local mode only, on loopback.
 */
export async function startOAuthProxy(
  options: OAuthProxyOptions,
): Promise<{ url: string; server: Server }> {
  const upstream = new URL(options.upstream);
  const server = createServer((incoming, outgoing) => {
    // NB: it signs every request in, so a page on another site whose name was rebound to
    // 127.0.0.1 (DNS rebinding) must not get through: only loopback Host headers pass.
    if (!isLoopbackHost(incoming.headers.host)) {
      outgoing.writeHead(421, { 'content-type': 'text/plain' });
      outgoing.end('Open the dashboard at 127.0.0.1 or localhost.\n');
      return;
    }
    const headers: Record<string, string | string[] | undefined> = {
      ...incoming.headers,
      host: upstream.host,
    };
    // Like oauth-proxy, never pass on a token the browser sent: identity comes from the proxy.
    delete headers.authorization;
    headers[IDENTITY_HEADERS.forwardedAccessToken] = options.token;
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    forward.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end('The dashboard backend is not answering.\n');
    });
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return { url: `http://${address}:${port}`, server };
}

/** True for `127.0.0.1`, `localhost` and `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}
