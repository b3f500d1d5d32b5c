import { request } from 'node:https';
import { join } from 'node:path';
import { ProcessComponent, startReadyProcess } from './component.js';
import { kubeApiServerFlags, renderFlags, type Flags } from './flags.js';
import type { ClusterPki } from './pki.js';
import { getFreePort } from './ports.js';
import type { ManagedProcess } from './processes.js';

/** How to run kube-apiserver. */
export interface APIServerParams {
  readonly binary: string;
  readonly dir: string;
  readonly etcdUrl: string;
  readonly pki: ClusterPki;
  /** A `system:masters` token, to probe `/readyz`. */
  readonly adminToken: string;
  /** Turn on what only makes sense with kube-controller-manager running. */
  readonly withControllers: boolean;
  readonly timeoutMs: number;
  readonly flags?: Flags;
}

/** GET with a CA and a bearer token; resolves with the status and body. */
export function httpsGet(
  url: string,
  caPem: string,
  token: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca: caPem, headers: token ? { authorization: `Bearer ${token}` } : {}, timeout: 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** kube-apiserver on a free 127.0.0.1 port, RBAC and Node authorization, static token users. */
export class APIServer extends ProcessComponent {
  readonly name = 'kube-apiserver';

  private constructor(
    process: ManagedProcess,
    /** `https://127.0.0.1:<port>` */
    readonly url: string,
  ) {
    super(process);
  }

  static async start(p: APIServerParams): Promise<APIServer> {
    const port = await getFreePort();
    const url = `https://127.0.0.1:${port}`;
    const { files, certDir } = p.pki;
    const process = await startReadyProcess(
      {
        name: 'kube-apiserver',
        command: p.binary,
        args: renderFlags(
          kubeApiServerFlags({
            etcdUrl: p.etcdUrl,
            securePort: port,
            certDir,
            withControllers: p.withControllers,
            ...files,
          }),
          p.flags,
        ),
        logFile: join(p.dir, 'kube-apiserver.log'),
        cleanupDir: p.dir,
      },
      'kube-apiserver /readyz',
      p.timeoutMs,
      async () =>
        (await httpsGet(`${url}/readyz`, p.pki.servingCa.certPem, p.adminToken)).status === 200,
    );
    return new APIServer(process, url);
  }
}
