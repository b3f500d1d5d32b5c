import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';

import type { HttpAnswer, HttpTransport } from './transport.js';

/** Options of {@link createKeepAliveTransport}. */
export interface KeepAliveTransportOptions {
  /** Connections open at once to one host; more requests wait for a free one. */
  maxSocketsPerHost: number;
  /** CA certificates (PEM) trusted besides Node's own, e.g. a test server's. */
  extraCa?: string;
}

/** A transport that reuses its connections, and how to close them. */
export interface KeepAliveTransport {
  send: HttpTransport;
  /** Closes every pooled connection; requests in flight fail. */
  destroy(): void;
}

/**
 * HTTP(S) on Node's own client with keep-alive agents, so a run of many calls pays one TCP and
 * TLS handshake per connection, not per call. An agent keeps a pool per host (its `name` is
 * host and port), and idle sockets do not hold the process open.
 */
export function createKeepAliveTransport(options: KeepAliveTransportOptions): KeepAliveTransport {
  const pool: http.AgentOptions = {
    keepAlive: true,
    maxSockets: options.maxSocketsPerHost,
    maxFreeSockets: options.maxSocketsPerHost,
    scheduling: 'lifo',
  };
  const httpAgent = new http.Agent(pool);
  // One context for every connection: given `ca` instead, Node would parse the whole root
  // store again for each handshake.
  const secureContext =
    options.extraCa === undefined
      ? undefined
      : createSecureContext({ ca: [...rootCertificates, options.extraCa] });
  const httpsAgent = new https.Agent({ ...pool, ...(secureContext ? { secureContext } : {}) });

  const send: HttpTransport = (exchange) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const secure = exchange.url.protocol === 'https:';
      const headers: Record<string, string | number> = { ...exchange.headers };
      if (exchange.body !== undefined) headers['Content-Length'] = Buffer.byteLength(exchange.body);
      const request = (secure ? https : http).request(exchange.url, {
        method: exchange.method,
        headers,
        agent: secure ? httpsAgent : httpAgent,
        signal: exchange.signal,
      });
      request.once('response', (response) => resolve(toAnswer(response)));
      request.once('error', reject);
      request.end(exchange.body);
    });

  return {
    send,
    destroy: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function toAnswer(response: IncomingMessage): HttpAnswer {
  return {
    status: response.statusCode ?? 0,
    header: (name) => {
      const value = response.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    text: () => readBody(response),
    discard: () => {
      // Drained, the socket goes back to the pool; nothing waits for that.
      response.resume();
      return Promise.resolve();
    },
  };
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.once('error', reject);
    // NB: a body cut short by a closed socket may end in 'close' alone, without an error.
    response.once('close', () => {
      if (!response.complete) reject(new Error('the connection closed before the body ended'));
    });
  });
}
