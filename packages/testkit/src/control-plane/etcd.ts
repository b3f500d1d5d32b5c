import { join } from 'node:path';
import { ProcessComponent, startReadyProcess } from './component.js';
import { etcdFlags, renderFlags, type Flags } from './flags.js';
import { getFreePort } from './ports.js';
import type { ManagedProcess } from './processes.js';

/** How to run etcd. */
export interface EtcdParams {
  readonly binary: string;
  /** The cluster's temporary directory; data goes to `<dir>/etcd`, the log to `etcd.log`. */
  readonly dir: string;
  readonly timeoutMs: number;
  readonly flags?: Flags;
}

/** A single-member, loopback-only etcd. */
export class Etcd extends ProcessComponent {
  readonly name = 'etcd';

  private constructor(
    process: ManagedProcess,
    /** `http://127.0.0.1:<port>` */
    readonly url: string,
  ) {
    super(process);
  }

  static async start(p: EtcdParams): Promise<Etcd> {
    const [clientPort, peerPort] = [await getFreePort(), await getFreePort()];
    const url = `http://127.0.0.1:${clientPort}`;
    const process = await startReadyProcess(
      {
        name: 'etcd',
        command: p.binary,
        args: renderFlags(
          etcdFlags({ dataDir: join(p.dir, 'etcd'), clientPort, peerPort }),
          p.flags,
        ),
        logFile: join(p.dir, 'etcd.log'),
        cleanupDir: p.dir,
      },
      'etcd to be healthy',
      p.timeoutMs,
      async () => {
        const res = await fetch(`${url}/health`);
        return res.ok && ((await res.json()) as { health?: string }).health === 'true';
      },
    );
    return new Etcd(process, url);
  }
}
