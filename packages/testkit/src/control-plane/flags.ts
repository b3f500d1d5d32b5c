/** Command-line flags by name (without `--`); `null` removes a default. */
export type Flags = Readonly<Record<string, string | null>>;

/** `--name=value` arguments from defaults with overrides applied, in a stable order. */
export function renderFlags(defaults: Flags, overrides: Flags = {}): string[] {
  const merged: Record<string, string | null> = { ...defaults, ...overrides };
  return Object.entries(merged)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => `--${name}=${value}`);
}

/** Paths and ports etcd runs with. */
export interface EtcdParams {
  readonly dataDir: string;
  readonly clientPort: number;
  readonly peerPort: number;
}

/** etcd flags for a single-member, loopback-only, throwaway cluster. */
export function etcdFlags(p: EtcdParams): Flags {
  const client = `http://127.0.0.1:${p.clientPort}`;
  const peer = `http://127.0.0.1:${p.peerPort}`;
  return {
    name: 'default',
    'data-dir': p.dataDir,
    'listen-client-urls': client,
    'advertise-client-urls': client,
    'listen-peer-urls': peer,
    'initial-advertise-peer-urls': peer,
    'initial-cluster': `default=${peer}`,
    // Data is thrown away at stop; fsync only slows tests down.
    'unsafe-no-fsync': 'true',
    'log-level': 'warn',
  };
}

/** Paths and ports the kube-apiserver runs with. */
export interface KubeApiServerParams {
  readonly etcdUrl: string;
  readonly securePort: number;
  readonly certDir: string;
  readonly tlsCertFile: string;
  readonly tlsKeyFile: string;
  readonly clientCaFile: string;
  readonly tokenAuthFile: string;
  /** RSA private key PEM; the server derives the public key to verify tokens from it. */
  readonly serviceAccountKeyFile: string;
  /**
   * kube-controller-manager runs beside it: the `ServiceAccount` admission plugin stays on, as
   * on a real cluster (its token controller makes the `default` accounts pods need).
   */
  readonly withControllers?: boolean;
}

/** The kube-apiserver's flags: loopback only, RBAC, token and client-certificate users. */
export function kubeApiServerFlags(p: KubeApiServerParams): Flags {
  return {
    'advertise-address': '127.0.0.1',
    'bind-address': '127.0.0.1',
    'secure-port': String(p.securePort),
    'etcd-servers': p.etcdUrl,
    'cert-dir': p.certDir,
    'tls-cert-file': p.tlsCertFile,
    'tls-private-key-file': p.tlsKeyFile,
    'client-ca-file': p.clientCaFile,
    'token-auth-file': p.tokenAuthFile,
    // Node first, as on a real cluster: a kubelet's `system:node:<name>` user gets exactly
    // what its own pods need; RBAC decides for everybody else.
    'authorization-mode': 'Node,RBAC',
    'service-account-issuer': 'https://kubernetes.default.svc.cluster.local',
    'service-account-key-file': p.serviceAccountKeyFile,
    'service-account-signing-key-file': p.serviceAccountKeyFile,
    'service-cluster-ip-range': '10.0.0.0/24',
    'allow-privileged': 'true',
    // Without a controller manager nothing creates the `default` ServiceAccount, so this plugin
    // would reject every pod; the same choice as controller-runtime's envtest.
    ...(p.withControllers ? {} : { 'disable-admission-plugins': 'ServiceAccount' }),
    'enable-admission-plugins': 'NodeRestriction',
    // No kubelets or endpoints to reconcile the `kubernetes` Service against.
    'endpoint-reconciler-type': 'none',
    'enable-priority-and-fairness': 'false',
    profiling: 'false',
  };
}

/** A certificate and key file pair. */
export interface ServingCert {
  readonly certFile: string;
  readonly keyFile: string;
}

/** Paths kube-controller-manager runs with. */
export interface KubeControllerManagerParams {
  readonly kubeconfigFile: string;
  readonly securePort: number;
  /** Its serving certificate, from the cluster's serving CA, so `/healthz` can be checked. */
  readonly serving: ServingCert;
  /** The apiserver's service-account signing key: the token controller signs with it. */
  readonly serviceAccountKeyFile: string;
  /** The serving CA, put into every service-account token Secret and `kube-root-ca.crt`. */
  readonly rootCaFile: string;
}

/**
 * Every default controller (garbage collector, namespace lifecycle, PVC protection and binding,
 * Deployments, ReplicaSets, Jobs, service accounts and tokens, RBAC aggregation), one instance,
 * loopback only. Facts of a trial run here: no leader election, and one shared identity
 * (`--use-service-account-credentials=false`) since the controllers' own accounts would need
 * their tokens before the token controller runs.
 */
export function kubeControllerManagerFlags(p: KubeControllerManagerParams): Flags {
  return {
    kubeconfig: p.kubeconfigFile,
    'authentication-kubeconfig': p.kubeconfigFile,
    'authorization-kubeconfig': p.kubeconfigFile,
    controllers: '*',
    'leader-elect': 'false',
    'bind-address': '127.0.0.1',
    'secure-port': String(p.securePort),
    'tls-cert-file': p.serving.certFile,
    'tls-private-key-file': p.serving.keyFile,
    'use-service-account-credentials': 'false',
    'service-account-private-key-file': p.serviceAccountKeyFile,
    'root-ca-file': p.rootCaFile,
    // Tests create and delete many objects; the defaults (5 to 20 workers) keep up, but quicker
    // garbage collection keeps the suite short.
    'concurrent-gc-syncs': '30',
    'configure-cloud-routes': 'false',
    profiling: 'false',
    v: '1',
  };
}

/** kube-scheduler: one instance, loopback only. */
export function kubeSchedulerFlags(p: {
  kubeconfigFile: string;
  securePort: number;
  serving: ServingCert;
}): Flags {
  return {
    'tls-cert-file': p.serving.certFile,
    'tls-private-key-file': p.serving.keyFile,
    kubeconfig: p.kubeconfigFile,
    'authentication-kubeconfig': p.kubeconfigFile,
    'authorization-kubeconfig': p.kubeconfigFile,
    'leader-elect': 'false',
    'bind-address': '127.0.0.1',
    'secure-port': String(p.securePort),
    profiling: 'false',
  };
}
