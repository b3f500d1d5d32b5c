import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, RbacAuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Node, NodeInfo, NodeOptions } from '../node/node.js';
import { isApiStatus, pollUntil } from './api-errors.js';
import { APIServer } from './api-server.js';
import {
  readControlPlaneVersions,
  resolveAssets,
  type AssetOptions,
  type ControlPlaneVersions,
} from './assets.js';
import { installCRDs, uninstallCRDs, type CrdWaitOptions } from './crds.js';
import { stopAll, type Component } from './component.js';
import { ControllerManager, Scheduler } from './controller-manager.js';
import { ControlPlaneError } from './errors.js';
import { Etcd } from './etcd.js';
import type { Flags } from './flags.js';
import { buildKubeconfig, kubeConfigFromYaml, type UserCredentials } from './kubeconfig.js';
import { writeClusterPki, type ClusterPki } from './pki.js';
import { aggregateClusterRoles, applyClusterRoles, waitForClusterRoleAggregation } from './rbac.js';
import { assertValidUser, buildTokenFile, generateToken, type TokenUser } from './tokens.js';
import type { CertificateKeyPair } from './x509.js';

/** A user of the test cluster: a name and its groups (`system:authenticated` is implicit). */
export interface TestUser {
  readonly name: string;
  /** Default none. */
  readonly groups?: readonly string[];
}

/** Options of {@link ControlPlane}. Each documents its default and env override. */
export interface ControlPlaneOptions extends AssetOptions {
  /**
   * Users that authenticate with a bearer token (what the dashboard receives from OpenShift's
   * oauth-proxy), written to the apiserver's static `--token-auth-file`, which cannot change
   * after start. Users added later with {@link ControlPlane.addUser} get a client certificate.
   * Default none. The name `admin` is reserved for the `system:masters` administrator.
   */
  readonly users?: readonly TestUser[];
  /** CRD files or directories to install at start, e.g. `[TEST_CRDS_DIR]`. Default none. */
  readonly crds?: readonly string[];
  /**
   * ClusterRole files or directories to apply at start, before aggregation, e.g.
   * `[TEST_CLUSTER_ROLES_DIR]` so `edit` covers KServe objects and Templates. Default none.
   */
  readonly clusterRoles?: readonly string[];
  /**
   * Run kube-controller-manager: garbage collection, namespace lifecycle, PVC protection, the
   * Deployment, ReplicaSet and Job controllers, service accounts and their tokens, ClusterRole
   * aggregation. Default true.
   */
  readonly controllers?: boolean;
  /**
   * Run a node too: kube-scheduler, and a kubelet on a private containerd with a CNI bridge of
   * its own (see {@link NodeOptions}); needs root. Implies `controllers`. Default false.
   */
  readonly node?: boolean | NodeOptions;
  /**
   * Fill the rules of the aggregated `view`/`edit`/`admin` ClusterRoles at start when no
   * controller manager runs to do it (see `aggregateClusterRoles`). Default true.
   */
  readonly aggregateClusterRoles?: boolean;
  /**
   * How long each component may take to get ready, in ms (not counting a build).
   * Default 120000; env `NIM_TEST_CONTROL_PLANE_TIMEOUT_MS`.
   */
  readonly startTimeoutMs?: number;
  /** kube-apiserver flags added or replaced (`null` removes a default). Default none. */
  readonly kubeApiServerFlags?: Flags;
  /** etcd flags added or replaced (`null` removes a default). Default none. */
  readonly etcdFlags?: Flags;
  /** kube-controller-manager flags added or replaced. Default none. */
  readonly kubeControllerManagerFlags?: Flags;
  /** Parent of the temporary directory (etcd data, certificates, logs). Default `os.tmpdir()`. */
  readonly tmpDir?: string;
}

/** What a process in another worker needs to talk to a running control plane (serialisable). */
export interface ControlPlaneInfo {
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** CA of the server certificate, PEM. */
  readonly caPem: string;
  readonly versions: ControlPlaneVersions;
  readonly adminKubeconfig: string;
  /** Token users by name. */
  readonly users: Readonly<
    Record<
      string,
      { readonly kubeconfig: string; readonly token: string; readonly groups: readonly string[] }
    >
  >;
  /** CA whose certificates the apiserver accepts as users (CN = name, O = groups). */
  readonly clientCa: CertificateKeyPair;
  /** The node, when started with one. */
  readonly node?: NodeInfo;
}

interface Running {
  readonly dir: string;
  /** Started components, oldest first; stopped newest first. */
  readonly components: readonly Component[];
  readonly server: string;
  readonly pki: ClusterPki;
  readonly versions: ControlPlaneVersions;
  readonly tokenUsers: ReadonlyMap<string, TokenUser>;
  readonly certUsers: Map<string, UserCredentials>;
  readonly node: Node | undefined;
}

/** The administrator: in `system:masters`, so RBAC allows everything. */
export const ADMIN_USER = 'admin';

const live = new Set<ControlPlane>();
let hooksInstalled = false;

// Last resort for a test run that ends without stop(): kill the children synchronously on
// exit, and on a signal nobody else handles. A SIGKILL of this process is covered by each
// child's watchdog (see ManagedProcess).
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const killAll = (): void => {
    for (const plane of live) plane.killNow();
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      killAll();
      process.removeListener(signal, handler);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}

/**
 * A real Kubernetes control plane for tests, modelled on controller-runtime's envtest: etcd
 * and kube-apiserver on free 127.0.0.1 ports, RBAC on, an admin in `system:masters`, token
 * users from {@link ControlPlaneOptions.users} and client-certificate users from
 * {@link ControlPlane.addUser}; kube-controller-manager unless `controllers: false`, and with
 * `node`, kube-scheduler and a kubelet on containerd.
 */
export class ControlPlane {
  private running: Running | undefined;
  private adminToken = '';
  /** Time `start()` took, in ms (including any build). */
  startDurationMs = 0;

  constructor(readonly options: ControlPlaneOptions = {}) {}

  /**
   * Starts etcd, kube-apiserver, then (as configured) kube-controller-manager and a node, each
   * waiting for the one before; returns the admin's config. A failure stops what started.
   */
  async start(): Promise<KubeConfig> {
    if (this.running)
      throw new ControlPlaneError('process-failed', 'control plane already started');
    const started = Date.now();
    const progress =
      this.options.onProgress ?? ((line: string) => process.stderr.write(`${line}\n`));
    const nodeOptions = this.options.node === true ? {} : this.options.node || undefined;
    const controllers = (this.options.controllers ?? true) || nodeOptions !== undefined;
    const versions = await readControlPlaneVersions();
    const bins = await resolveAssets(
      [
        'kube-apiserver',
        'etcd',
        ...(controllers ? (['kube-controller-manager'] as const) : []),
        ...(nodeOptions ? (['kube-scheduler', 'kubelet'] as const) : []),
      ],
      { ...this.options, onProgress: progress },
    );
    const timeoutMs =
      this.options.startTimeoutMs ??
      (Number(process.env['NIM_TEST_CONTROL_PLANE_TIMEOUT_MS']) || 120_000);
    const tokenUsers = this.tokenUsers();

    const dir = await mkdtemp(join(this.options.tmpDir ?? tmpdir(), 'odh-nim-control-plane-'));
    installExitHooks();
    const components: Component[] = [];
    const timings: string[] = [];
    const timed = async <C extends Component>(start: () => Promise<C>): Promise<C> => {
      const t0 = Date.now();
      const component = await start();
      components.push(component);
      timings.push(`${component.name} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      return component;
    };
    try {
      const pki = await writeClusterPki(dir, buildTokenFile([...tokenUsers.values()]));
      const etcd = await timed(() =>
        Etcd.start({ binary: bins.etcd, dir, timeoutMs, flags: this.options.etcdFlags }),
      );
      const apiServer = await timed(() =>
        APIServer.start({
          binary: bins['kube-apiserver'],
          dir,
          etcdUrl: etcd.url,
          pki,
          adminToken: this.adminToken,
          withControllers: controllers,
          timeoutMs,
          flags: this.options.kubeApiServerFlags,
        }),
      );
      this.running = {
        dir,
        components,
        server: apiServer.url,
        pki,
        versions,
        tokenUsers,
        certUsers: new Map(),
        node: undefined,
      };
      live.add(this);
      const kc = this.adminKubeConfig();
      await this.waitForBootstrap(kc, timeoutMs);
      const kubeconfigFile = join(dir, 'admin.kubeconfig');
      await this.writeKubeconfig(kubeconfigFile);
      if (controllers) {
        await timed(() =>
          ControllerManager.start({
            binary: bins['kube-controller-manager'],
            dir,
            kubeconfigFile,
            admin: kc,
            pki,
            timeoutMs,
            flags: this.options.kubeControllerManagerFlags,
          }),
        );
      }
      if (this.options.clusterRoles?.length) await applyClusterRoles(kc, this.options.clusterRoles);
      if (controllers) await waitForClusterRoleAggregation(kc, timeoutMs);
      else if (this.options.aggregateClusterRoles ?? true) await aggregateClusterRoles(kc);
      if (this.options.crds?.length) await installCRDs(kc, this.options.crds, { timeoutMs });
      if (nodeOptions) {
        await timed(() =>
          Scheduler.start({ binary: bins['kube-scheduler'], dir, kubeconfigFile, pki, timeoutMs }),
        );
        // Loaded only here: most planes have no node, and it brings the image builds.
        const { Node } = await import('../node/node.js');
        const node = await timed(() =>
          Node.start({
            ...nodeOptions,
            kubeletBinary: bins.kubelet,
            dir,
            server: apiServer.url,
            pki,
            admin: kc,
            timeoutMs,
            onProgress: progress,
          }),
        );
        this.running = { ...this.running, node };
      }
    } catch (error) {
      this.running = undefined;
      live.delete(this);
      await stopAll(components);
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
    this.startDurationMs = Date.now() - started;
    progress(
      `[control-plane] Kubernetes ${versions.kubernetes} + etcd ${versions.etcd} ready at ${this.server} ` +
        `in ${(this.startDurationMs / 1000).toFixed(1)}s (${timings.join(', ')})`,
    );
    return this.adminKubeConfig();
  }

  /** The admin and the declared token users, each with a fresh token. */
  private tokenUsers(): Map<string, TokenUser> {
    const tokenUsers = new Map<string, TokenUser>();
    this.adminToken = generateToken();
    tokenUsers.set(ADMIN_USER, {
      name: ADMIN_USER,
      groups: ['system:masters'],
      token: this.adminToken,
    });
    for (const user of this.options.users ?? []) {
      if (tokenUsers.has(user.name))
        throw new ControlPlaneError('invalid-user', `duplicate user '${user.name}'`);
      tokenUsers.set(user.name, {
        name: user.name,
        groups: user.groups ?? [],
        token: generateToken(),
      });
    }
    return tokenUsers;
  }

  private async waitForBootstrap(kc: KubeConfig, timeoutMs: number): Promise<void> {
    const core = kc.makeApiClient(CoreV1Api);
    await pollUntil('the default namespace', timeoutMs, async () => {
      try {
        await core.readNamespace({ name: 'default' });
        return true;
      } catch (error) {
        if (isApiStatus(error, 404)) return undefined;
        throw error;
      }
    });
    // Created by the rbac/bootstrap-roles post-start hook; /readyz waits for it, but be sure.
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await pollUntil('bootstrap ClusterRoles view, edit, admin', timeoutMs, async () => {
      const names = new Set((await rbac.listClusterRole()).items.map((r) => r.metadata?.name));
      return ['view', 'edit', 'admin'].every((n) => names.has(n)) ? true : undefined;
    });
  }

  private state(): Running {
    if (!this.running)
      throw new ControlPlaneError('process-failed', 'control plane is not running');
    return this.running;
  }

  /** The API server URL, `https://127.0.0.1:<port>`. */
  get server(): string {
    return this.state().server;
  }

  /** CA of the API server's certificate, PEM. */
  get caPem(): string {
    return this.state().pki.servingCa.certPem;
  }

  /** Pinned versions of the binaries in use. */
  get versions(): ControlPlaneVersions {
    return this.state().versions;
  }

  /** The temporary directory: etcd data, certificates, and a `<component>.log` each. */
  get dir(): string {
    return this.state().dir;
  }

  /** The admin's `KubeConfig` (user `admin`, group `system:masters`). */
  adminKubeConfig(): KubeConfig {
    return kubeConfigFromYaml(this.kubeconfigYaml(ADMIN_USER));
  }

  /**
   * A `KubeConfig` for a user. A user declared in `options.users` gets its bearer token
   * (`groups`, if given, must match the declaration); any other name gets a client
   * certificate from the cluster's client CA with CN = name and O = groups.
   */
  addUser(user: TestUser): KubeConfig {
    const state = this.state();
    const groups = user.groups ?? [];
    assertValidUser(user.name, groups);
    const declared = state.tokenUsers.get(user.name);
    if (declared) {
      if (
        user.groups &&
        JSON.stringify([...user.groups].sort()) !== JSON.stringify([...declared.groups].sort())
      ) {
        throw new ControlPlaneError(
          'invalid-user',
          `'${user.name}' is a token user with groups [${declared.groups.join(', ')}]`,
        );
      }
    } else {
      const pair = state.pki.clientCa.issue({
        subject: { commonName: user.name, organizations: groups },
        usage: 'client',
      });
      state.certUsers.set(user.name, {
        clientCertificatePem: pair.certPem,
        clientKeyPem: pair.keyPem,
      });
    }
    return kubeConfigFromYaml(this.kubeconfigYaml(user.name));
  }

  /** The bearer token of a token user (`admin` or one from `options.users`). */
  userToken(name: string): string {
    const user = this.state().tokenUsers.get(name);
    if (!user) throw new ControlPlaneError('invalid-user', `no token user '${name}'`);
    return user.token;
  }

  /** Kubeconfig YAML for a user known to this control plane (default `admin`). */
  kubeconfigYaml(userName: string = ADMIN_USER, namespace?: string): string {
    const state = this.state();
    const token = state.tokenUsers.get(userName)?.token;
    const credentials = token ? { token } : state.certUsers.get(userName);
    if (!credentials)
      throw new ControlPlaneError('invalid-user', `unknown user '${userName}'; call addUser first`);
    return buildKubeconfig({
      server: state.server,
      caPem: state.pki.servingCa.certPem,
      userName,
      credentials,
      ...(namespace ? { namespace } : {}),
    });
  }

  /** Writes a kubeconfig file (mode 0600) for `kubectl --kubeconfig` or other tools. */
  async writeKubeconfig(path: string, userName: string = ADMIN_USER): Promise<void> {
    await writeFile(path, this.kubeconfigYaml(userName), { mode: 0o600 });
  }

  /** Installs CRDs from files or directories and waits for discovery; returns their names. */
  installCRDs(paths: readonly string[], options?: CrdWaitOptions): Promise<string[]> {
    return installCRDs(this.adminKubeConfig(), paths, options);
  }

  /** Deletes CRDs by name and waits until the API no longer serves them. */
  uninstallCRDs(names: readonly string[], options?: CrdWaitOptions): Promise<void> {
    return uninstallCRDs(this.adminKubeConfig(), names, options);
  }

  /** What tests in other processes need (see the vitest global setup). */
  info(): ControlPlaneInfo {
    const state = this.state();
    const users: Record<string, { kubeconfig: string; token: string; groups: readonly string[] }> =
      {};
    for (const user of state.tokenUsers.values()) {
      if (user.name === ADMIN_USER) continue;
      users[user.name] = {
        kubeconfig: this.kubeconfigYaml(user.name),
        token: user.token,
        groups: user.groups,
      };
    }
    return {
      server: state.server,
      caPem: state.pki.servingCa.certPem,
      versions: state.versions,
      adminKubeconfig: this.kubeconfigYaml(ADMIN_USER),
      users,
      clientCa: { certPem: state.pki.clientCa.certPem, keyPem: state.pki.clientCa.keyPem },
      ...(state.node ? { node: state.node.info() } : {}),
    };
  }

  /** The node, when started with `node`. */
  get node(): Node {
    const node = this.state().node;
    if (!node) throw new ControlPlaneError('not-provided', 'started without a node');
    return node;
  }

  /** Stops every component, newest first, and removes the temporary directory; safe twice. */
  async stop(): Promise<void> {
    const state = this.running;
    if (!state) return;
    this.running = undefined;
    live.delete(this);
    const errors = await stopAll(state.components);
    await rm(state.dir, { recursive: true, force: true }).catch((error: unknown) =>
      errors.push(error),
    );
    if (errors.length > 0) {
      throw new ControlPlaneError(
        'stop-failed',
        `stopping the control plane failed ${errors.length} time(s)`,
        { cause: new AggregateError(errors) },
      );
    }
  }

  /** Synchronous last-resort kill from an exit handler; prefer {@link ControlPlane.stop}. */
  killNow(): void {
    const state = this.running;
    if (!state) return;
    this.running = undefined;
    live.delete(this);
    for (const component of [...state.components].reverse()) component.killNow();
    rmSync(state.dir, { recursive: true, force: true });
  }
}

/** Creates and starts a {@link ControlPlane}. */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const plane = new ControlPlane(options);
  await plane.start();
  return plane;
}
