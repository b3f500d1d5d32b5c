import { execFile } from 'node:child_process';
import { access, chmod, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import { pollUntil } from '../control-plane/api-errors.js';
import { stopAll, type Component } from '../control-plane/component.js';
import { ControlPlaneError } from '../control-plane/errors.js';
import type { ClusterPki } from '../control-plane/pki.js';
import { writeCniNetwork, DEBIAN_CNI_BIN_DIR } from './cni.js';
import { Containerd } from './containerd.js';
import {
  createBridge,
  createCgroupRoot,
  removeBridge,
  removeCgroupRoot,
  removeKubeletChains,
  unmountUnder,
} from './host.js';
import {
  buildTestImages,
  importImage,
  tagImage,
  type ModelImageRequest,
  type TestImages,
} from './images.js';
import { Kubelet } from './kubelet.js';

const run = promisify(execFile);

/** The extended resource NIM pods request. */
export const GPU_RESOURCE = 'nvidia.com/gpu';

/** What tests in other processes need of a running node (see the vitest global setup). */
export interface NodeInfo {
  readonly name: string;
  /** For `ctr --address`, e.g. {@link loadModelImages}. */
  readonly containerdSocket: string;
  readonly images: TestImages;
}

/**
 * Builds NIM stand-in images under the exact references ServingRuntimes name (e.g.
 * `nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4`) and imports them into the node's
 * containerd, so the product's own objects run unchanged and nothing is pulled.
 */
export async function loadModelImages(
  node: NodeInfo,
  models: readonly (string | ModelImageRequest)[],
  onProgress?: (line: string) => void,
): Promise<void> {
  const built = await buildTestImages({ models, ...(onProgress ? { onProgress } : {}) });
  for (const image of built.models)
    await importImage({ address: node.containerdSocket }, image.tar);
}

/** Gives an image already on the node another reference (`ctr images tag --force`). */
export async function tagNodeImage(node: NodeInfo, source: string, target: string): Promise<void> {
  await tagImage({ address: node.containerdSocket }, source, target);
}

/** Options of the test node. Each documents its default. */
export interface NodeOptions {
  /** Default `nim-node`. */
  readonly name?: string;
  /**
   * The pods' own /24, on a bridge of the test's own; the host reaches pod IPs through it and
   * nothing else does. Default `10.244.77.0/24`.
   */
  readonly podCidr?: string;
  /** How many `nvidia.com/gpu` the node advertises. Default 8. */
  readonly gpus?: number;
  /** Static hostPath PersistentVolumes (100Gi, RWO and RWX) for cache PVCs. Default 4. */
  readonly persistentVolumes?: number;
}

export interface NodeParams extends NodeOptions {
  readonly kubeletBinary: string;
  readonly dir: string;
  readonly server: string;
  readonly pki: ClusterPki;
  readonly admin: KubeConfig;
  readonly timeoutMs: number;
  readonly onProgress: (line: string) => void;
}

const HOST_TOOLS = ['containerd', 'ctr', 'runc', 'ip'] as const;
const CNI_PLUGINS = ['bridge', 'host-local', 'loopback'] as const;

async function onPath(tool: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${tool}`]).then(
    () => true,
    () => false,
  );
}

/** Fails early, saying what to install, when this machine cannot run a node. */
async function preflight(): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new ControlPlaneError('assets-missing', 'a test node needs root (containerd, mounts)');
  }
  const missing: string[] = [];
  for (const tool of HOST_TOOLS) if (!(await onPath(tool))) missing.push(tool);
  for (const plugin of CNI_PLUGINS) {
    await access(join(DEBIAN_CNI_BIN_DIR, plugin), constants.X_OK).catch(() =>
      missing.push(`${DEBIAN_CNI_BIN_DIR}/${plugin}`),
    );
  }
  if (missing.length > 0) {
    throw new ControlPlaneError(
      'assets-missing',
      `a test node needs ${missing.join(', ')}: apt-get install containerd runc containernetworking-plugins iproute2`,
    );
  }
}

/** The first address of a /24 and its prefix, e.g. `10.244.77.1/24`. Pure. */
export function gatewayOf(podCidr: string): { ip: string; cidr: string } {
  const [network, prefix] = podCidr.split('/');
  const octets = (network ?? '').split('.');
  if (octets.length !== 4 || !prefix)
    throw new ControlPlaneError('process-failed', `bad pod CIDR ${podCidr}`);
  const ip = [...octets.slice(0, 3), String(Number(octets[3]) + 1)].join('.');
  return { ip, cidr: `${ip}/${prefix}` };
}

/**
 * A real node: containerd with locally built images, a CNI bridge, and a kubelet that
 * registers, reports Ready and advertises `nvidia.com/gpu`, plus static PVs. Started after
 * kube-scheduler by the control plane.
 */
export class Node implements Component {
  readonly name = 'node';

  private constructor(
    readonly nodeName: string,
    readonly images: TestImages,
    private readonly containerd: Containerd,
    private readonly parts: readonly Component[],
  ) {}

  static async start(p: NodeParams): Promise<Node> {
    await preflight();
    const nodeName = p.name ?? 'nim-node';
    const podCidr = p.podCidr ?? '10.244.77.0/24';
    const suffix = p.dir.slice(-6).replace(/[^a-zA-Z0-9]/g, '');
    const bridge = `nimbr${suffix}`.slice(0, 15);
    const cgroupRoot = `/odh-nim-${suffix}`;
    const gateway = gatewayOf(podCidr);
    const images = await buildTestImages({ onProgress: p.onProgress });

    const parts: Component[] = [];
    // Host state outside the directory goes back in any case, even if a start fails half-way.
    parts.push({
      name: 'node host state',
      stop: async () => {
        await unmountUnder(p.dir);
        await removeBridge(bridge);
        await removeCgroupRoot(cgroupRoot);
        await removeKubeletChains();
      },
      killNow: () => undefined,
    });
    try {
      await createBridge(bridge, gateway.cidr);
      await createCgroupRoot(cgroupRoot);
      const network = await writeCniNetwork(p.dir, bridge, podCidr);
      const containerd = await Containerd.start({
        dir: p.dir,
        pauseImage: images.pause.ref,
        cniConfDir: network.confDir,
        cniBinDir: DEBIAN_CNI_BIN_DIR,
        timeoutMs: p.timeoutMs,
      });
      parts.push(containerd);
      for (const image of [images.pause, images.nimStandin]) {
        await importImage({ address: containerd.paths.socket }, image.tar);
      }
      const kubelet = await Kubelet.start({
        binary: p.kubeletBinary,
        dir: p.dir,
        nodeName,
        nodeIp: gateway.ip,
        server: p.server,
        pki: p.pki,
        admin: p.admin,
        containerdSocket: containerd.paths.socket,
        cgroupRoot,
        timeoutMs: p.timeoutMs,
      });
      parts.push(kubelet);
      await advertiseGpus(p.admin, nodeName, p.gpus ?? 8, p.timeoutMs);
      await createStaticVolumes(p.admin, p.dir, nodeName, p.persistentVolumes ?? 4);
      return new Node(nodeName, images, containerd, parts);
    } catch (error) {
      await stopAll(parts);
      throw error;
    }
  }

  /** What a test in another process needs to use the node (serialisable). */
  info(): NodeInfo {
    return {
      name: this.nodeName,
      containerdSocket: this.containerd.paths.socket,
      images: this.images,
    };
  }

  async stop(): Promise<void> {
    const errors = await stopAll(this.parts);
    if (errors.length > 0) {
      throw new ControlPlaneError(
        'stop-failed',
        `stopping the node failed ${errors.length} time(s)`,
        {
          cause: new AggregateError(errors),
        },
      );
    }
  }

  killNow(): void {
    for (const part of [...this.parts].reverse()) part.killNow();
  }
}

/**
 * Advertises GPUs as the Kubernetes docs' "extended resource" recipe does: a JSON patch of the
 * node's status capacity; the kubelet then copies it to allocatable.
 */
async function advertiseGpus(
  admin: KubeConfig,
  nodeName: string,
  count: number,
  timeoutMs: number,
): Promise<void> {
  const core = admin.makeApiClient(CoreV1Api);
  const key = GPU_RESOURCE.replace('/', '~1');
  await core.patchNodeStatus(
    {
      name: nodeName,
      body: [{ op: 'add', path: `/status/capacity/${key}`, value: String(count) }],
    },
    setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
  );
  await pollUntil(`${GPU_RESOURCE} in the allocatable of ${nodeName}`, timeoutMs, async () => {
    const node = await core.readNode({ name: nodeName });
    return node.status?.allocatable?.[GPU_RESOURCE] === String(count) ? true : undefined;
  });
}

/** hostPath PVs under the test's directory, with no class, so class-less claims bind them. */
async function createStaticVolumes(
  admin: KubeConfig,
  dir: string,
  nodeName: string,
  count: number,
): Promise<void> {
  const core = admin.makeApiClient(CoreV1Api);
  for (let i = 0; i < count; i++) {
    const path = join(dir, 'volumes', `pv-${i}`);
    await mkdir(path, { recursive: true });
    await chmod(path, 0o777); // NIM runs as an arbitrary UID, as under OpenShift's restricted SCC
    await core.createPersistentVolume({
      body: {
        metadata: { name: `${nodeName}-pv-${i}` },
        spec: {
          capacity: { storage: '100Gi' },
          accessModes: ['ReadWriteOnce', 'ReadWriteMany'],
          persistentVolumeReclaimPolicy: 'Retain',
          storageClassName: '',
          hostPath: { path, type: 'Directory' },
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'kubernetes.io/hostname', operator: 'In', values: [nodeName] },
                  ],
                },
              ],
            },
          },
        },
      },
    });
  }
}
