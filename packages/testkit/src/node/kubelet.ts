import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig, type V1Node } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { isApiStatus } from '../control-plane/api-errors.js';
import { ProcessComponent, startReadyProcess } from '../control-plane/component.js';
import { buildKubeconfig } from '../control-plane/kubeconfig.js';
import type { ClusterPki } from '../control-plane/pki.js';
import { getFreePort } from '../control-plane/ports.js';
import type { ManagedProcess } from '../control-plane/processes.js';

export interface KubeletParams {
  readonly binary: string;
  readonly dir: string;
  readonly nodeName: string;
  /** A non-loopback address for the node's InternalIP (the kubelet refuses loopback). */
  readonly nodeIp: string;
  readonly server: string;
  readonly pki: ClusterPki;
  readonly admin: KubeConfig;
  readonly containerdSocket: string;
  /** The cgroup under which the kubelet puts `kubepods`, removed at stop. */
  readonly cgroupRoot: string;
  readonly timeoutMs: number;
}

/**
 * The kubelet's configuration. Pinned for this VM (facts of a trial run here): cgroup v1 with
 * the cgroupfs driver (containerd's runc uses it too), swap allowed, every port on 127.0.0.1,
 * no read-only port, webhook authn/authz off (only the test talks to it), and no image garbage
 * collection, since a collected image could never be pulled again. Pure.
 */
export function kubeletConfig(p: {
  port: number;
  healthzPort: number;
  containerdSocket: string;
  cgroupRoot: string;
  podLogsDir: string;
}): Record<string, unknown> {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'cgroupfs',
    cgroupRoot: p.cgroupRoot,
    failSwapOn: false,
    address: '127.0.0.1',
    port: p.port,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: p.healthzPort,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: false } },
    authorization: { mode: 'AlwaysAllow' },
    containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
    imageServiceEndpoint: `unix://${p.containerdSocket}`,
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    // The test machine's disk is shared and may be fuller than a real node's: never evict.
    evictionHard: {
      'memory.available': '1Mi',
      'nodefs.available': '0%',
      'imagefs.available': '0%',
    },
    podLogsDir: p.podLogsDir,
    resolvConf: '',
    serializeImagePulls: false,
    nodeStatusUpdateFrequency: '2s',
    syncFrequency: '5s',
    fileCheckFrequency: '5s',
    logging: { format: 'text', verbosity: 1 },
  };
}

function isReady(node: V1Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** A kubelet registered as `system:node:<name>`, on the private containerd. */
export class Kubelet extends ProcessComponent {
  readonly name = 'kubelet';

  private constructor(process: ManagedProcess) {
    super(process);
  }

  static async start(p: KubeletParams): Promise<Kubelet> {
    const base = join(p.dir, 'kubelet');
    const rootDir = join(base, 'root');
    const podLogsDir = join(base, 'pod-logs');
    await mkdir(rootDir, { recursive: true });
    await mkdir(podLogsDir, { recursive: true });
    // A node user, as a real kubelet gets from TLS bootstrap: the Node authorizer and the
    // NodeRestriction plugin then limit it to its own node and pods.
    const cert = p.pki.clientCa.issue({
      subject: { commonName: `system:node:${p.nodeName}`, organizations: ['system:nodes'] },
      usage: 'client',
    });
    const kubeconfig = join(base, 'kubeconfig');
    await writeFile(
      kubeconfig,
      buildKubeconfig({
        server: p.server,
        caPem: p.pki.servingCa.certPem,
        userName: `system:node:${p.nodeName}`,
        credentials: { clientCertificatePem: cert.certPem, clientKeyPem: cert.keyPem },
      }),
      { mode: 0o600 },
    );
    const config = join(base, 'config.yaml');
    await writeFile(
      config,
      stringify(
        kubeletConfig({
          port: await getFreePort(),
          healthzPort: await getFreePort(),
          containerdSocket: p.containerdSocket,
          cgroupRoot: p.cgroupRoot,
          podLogsDir,
        }),
      ),
    );
    const core = p.admin.makeApiClient(CoreV1Api);
    const process = await startReadyProcess(
      {
        name: 'kubelet',
        command: p.binary,
        args: [
          `--config=${config}`,
          `--kubeconfig=${kubeconfig}`,
          `--root-dir=${rootDir}`,
          `--cert-dir=${join(base, 'pki')}`,
          `--hostname-override=${p.nodeName}`,
          `--node-ip=${p.nodeIp}`,
        ],
        logFile: join(p.dir, 'kubelet.log'),
        cleanupDir: p.dir,
      },
      `node ${p.nodeName} to be Ready`,
      p.timeoutMs,
      async () => {
        try {
          return isReady(await core.readNode({ name: p.nodeName }));
        } catch (error) {
          if (isApiStatus(error, 404)) return false;
          throw error;
        }
      },
    );
    return new Kubelet(process);
  }
}
