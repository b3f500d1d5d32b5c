import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ProcessComponent, startReadyProcess } from '../control-plane/component.js';
import type { ManagedProcess } from '../control-plane/processes.js';

const run = promisify(execFile);

/** Where containerd keeps everything, all under the test's directory. */
export interface ContainerdPaths {
  readonly root: string;
  readonly state: string;
  readonly socket: string;
  readonly config: string;
  /** Registry host configs: every registry goes to a closed port. */
  readonly certsDir: string;
}

export interface ContainerdParams {
  readonly dir: string;
  /** The sandbox image, already built locally (containerd would pull a missing one). */
  readonly pauseImage: string;
  readonly cniConfDir: string;
  readonly cniBinDir: string;
  readonly timeoutMs: number;
}

/** Paths of a containerd under `<dir>/containerd`. Pure. */
export function containerdPaths(dir: string): ContainerdPaths {
  const base = join(dir, 'containerd');
  return {
    root: join(base, 'root'),
    state: join(base, 'state'),
    socket: join(base, 'containerd.sock'),
    config: join(base, 'config.toml'),
    certsDir: join(base, 'certs.d'),
  };
}

/**
 * containerd's config (version 2, containerd 1.6/1.7): its own root, state and socket, the
 * local pause image, runc on cgroupfs, CNI from the test's directory, and netns mounts under
 * its state dir so a stop finds them all. Pure.
 */
export function containerdConfig(p: ContainerdParams, paths: ContainerdPaths): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = ${JSON.stringify(paths.root)}
state = ${JSON.stringify(paths.state)}
disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = ${JSON.stringify(paths.socket)}

[ttrpc]
  address = ${JSON.stringify(`${paths.socket}.ttrpc`)}

[${cri}]
  sandbox_image = ${JSON.stringify(p.pauseImage)}
  # This VM's bounding set lacks CAP_SYS_RESOURCE: without this runc cannot start any
  # sandbox ("failed to update /proc/self/oom_score_adj: Permission denied").
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true

[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[${cri}.containerd.runtimes.runc.options]
  SystemdCgroup = false

[${cri}.cni]
  bin_dir = ${JSON.stringify(p.cniBinDir)}
  conf_dir = ${JSON.stringify(p.cniConfDir)}
  max_conf_num = 1

[${cri}.registry]
  config_path = ${JSON.stringify(paths.certsDir)}
`;
}

/** Sends every registry to a port nothing listens on: a pull fails at once, never leaves. */
export const CLOSED_REGISTRY_HOSTS = `# Every registry: nothing is ever pulled in tests.
server = "http://127.0.0.1:9"

[host."http://127.0.0.1:9"]
  capabilities = ["pull", "resolve"]
`;

/** A private containerd, with the CRI plugin the kubelet talks to. */
export class Containerd extends ProcessComponent {
  readonly name = 'containerd';

  private constructor(
    process: ManagedProcess,
    readonly paths: ContainerdPaths,
  ) {
    super(process);
  }

  static async start(p: ContainerdParams): Promise<Containerd> {
    const paths = containerdPaths(p.dir);
    await mkdir(join(paths.certsDir, '_default'), { recursive: true });
    await writeFile(join(paths.certsDir, '_default', 'hosts.toml'), CLOSED_REGISTRY_HOSTS);
    await writeFile(paths.config, containerdConfig(p, paths));
    const process = await startReadyProcess(
      {
        name: 'containerd',
        command: 'containerd',
        args: ['--config', paths.config, '--log-level', 'warn'],
        logFile: join(p.dir, 'containerd.log'),
        cleanupDir: p.dir,
      },
      'containerd to serve',
      p.timeoutMs,
      async () => {
        await run('ctr', ['--address', paths.socket, 'version']);
        return true;
      },
    );
    return new Containerd(process, paths);
  }

  /** Runs `ctr` against this containerd in the CRI namespace. */
  async ctr(...args: string[]): Promise<string> {
    const { stdout } = await run('ctr', ['--address', this.paths.socket, '-n', 'k8s.io', ...args], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  }

  /**
   * Kills and deletes every container the kubelet left, then stops containerd. Shims outlive
   * containerd, so a task left running would keep its process and mounts after the test.
   */
  override async stop(): Promise<void> {
    if (!this.process.exited) {
      const containers = (await this.ctr('containers', 'list', '-q').catch(() => ''))
        .split('\n')
        .filter(Boolean);
      for (const id of containers) {
        await this.ctr('tasks', 'kill', '-s', 'SIGKILL', id).catch(() => undefined);
        await this.ctr('tasks', 'delete', '-f', id).catch(() => undefined);
        await this.ctr('containers', 'delete', id).catch(() => undefined);
      }
    }
    await super.stop();
    await run('pkill', ['-KILL', '-f', '--', `-address ${this.paths.socket}`]).catch(
      () => undefined,
    );
  }
}
