import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { isApiStatus } from './api-errors.js';
import { ProcessComponent, startReadyProcess } from './component.js';
import {
  kubeControllerManagerFlags,
  kubeSchedulerFlags,
  renderFlags,
  type Flags,
} from './flags.js';
import { httpsGet } from './api-server.js';
import { writeServingCert, type ClusterPki } from './pki.js';
import { getFreePort } from './ports.js';
import type { ManagedProcess } from './processes.js';

/** What kube-controller-manager and kube-scheduler need. */
export interface ControllerParams {
  readonly binary: string;
  readonly dir: string;
  /** An admin kubeconfig file for the process. */
  readonly kubeconfigFile: string;
  /** The same admin, to see from outside that the process works. */
  readonly admin: KubeConfig;
  readonly pki: ClusterPki;
  readonly timeoutMs: number;
  readonly flags?: Flags;
}

/** `/healthz` of a component serving with a certificate from the cluster's serving CA. */
async function healthy(port: number, pki: ClusterPki): Promise<boolean> {
  return (
    (await httpsGet(`https://127.0.0.1:${port}/healthz`, pki.servingCa.certPem, '')).status === 200
  );
}

async function hasDefaultServiceAccount(admin: KubeConfig): Promise<boolean> {
  try {
    await admin
      .makeApiClient(CoreV1Api)
      .readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
    return true;
  } catch (error) {
    if (isApiStatus(error, 404)) return false;
    throw error;
  }
}

/**
 * kube-controller-manager with every default controller. Ready once its service-account
 * controller has made `default/default`: the controllers are then running, and pods can be
 * admitted with the `ServiceAccount` plugin on.
 */
export class ControllerManager extends ProcessComponent {
  readonly name = 'kube-controller-manager';

  private constructor(process: ManagedProcess) {
    super(process);
  }

  static async start(p: ControllerParams): Promise<ControllerManager> {
    const port = await getFreePort();
    const flags = kubeControllerManagerFlags({
      kubeconfigFile: p.kubeconfigFile,
      securePort: port,
      serving: await writeServingCert(p.pki, 'kube-controller-manager'),
      serviceAccountKeyFile: p.pki.files.serviceAccountKeyFile,
      rootCaFile: p.pki.files.servingCaFile,
    });
    const process = await startReadyProcess(
      {
        name: 'kube-controller-manager',
        command: p.binary,
        args: renderFlags(flags, p.flags),
        logFile: join(p.dir, 'kube-controller-manager.log'),
        cleanupDir: p.dir,
      },
      'kube-controller-manager /healthz and the default ServiceAccount',
      p.timeoutMs,
      async () => (await healthy(port, p.pki)) && hasDefaultServiceAccount(p.admin),
    );
    return new ControllerManager(process);
  }
}

/** kube-scheduler, ready when its `/healthz` answers. */
export class Scheduler extends ProcessComponent {
  readonly name = 'kube-scheduler';

  private constructor(process: ManagedProcess) {
    super(process);
  }

  static async start(p: Omit<ControllerParams, 'admin'>): Promise<Scheduler> {
    const port = await getFreePort();
    const flags = kubeSchedulerFlags({
      kubeconfigFile: p.kubeconfigFile,
      securePort: port,
      serving: await writeServingCert(p.pki, 'kube-scheduler'),
    });
    const process = await startReadyProcess(
      {
        name: 'kube-scheduler',
        command: p.binary,
        args: renderFlags(flags, p.flags),
        logFile: join(p.dir, 'kube-scheduler.log'),
        cleanupDir: p.dir,
      },
      'kube-scheduler /healthz',
      p.timeoutMs,
      () => healthy(port, p.pki),
    );
    return new Scheduler(process);
  }
}
