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
    'authorization-mode': 'RBAC',
    'service-account-issuer': 'https://kubernetes.default.svc.cluster.local',
    'service-account-key-file': p.serviceAccountKeyFile,
    'service-account-signing-key-file': p.serviceAccountKeyFile,
    'service-cluster-ip-range': '10.0.0.0/24',
    'allow-privileged': 'true',
    // No controller manager creates the `default` ServiceAccount, so this plugin would reject
    // every pod; the same choice as controller-runtime's envtest.
    'disable-admission-plugins': 'ServiceAccount',
    // No kubelets or endpoints to reconcile the `kubernetes` Service against.
    'endpoint-reconciler-type': 'none',
    'enable-priority-and-fairness': 'false',
    profiling: 'false',
  };
}
