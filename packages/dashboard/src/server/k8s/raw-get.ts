import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';

import type { KubeConfig } from '@kubernetes/client-node';

/** What a raw GET answered. */
export interface RawAnswer {
  status: number;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: unknown;
}

/**
 * GET of an apiserver path the generated clients do not cover (`/openapi/v3/...`), with the
 * kubeconfig's credentials and TLS settings.
 */
export async function getRaw(
  kubeConfig: KubeConfig,
  path: string,
  timeoutMs = 10_000,
): Promise<RawAnswer> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('The kubeconfig has no current cluster.');
  const url = new URL(path, server);
  const options: RequestOptions = {
    method: 'GET',
    headers: { accept: 'application/json' },
    timeout: timeoutMs,
  };
  await kubeConfig.applyToHTTPSOptions(options);
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
