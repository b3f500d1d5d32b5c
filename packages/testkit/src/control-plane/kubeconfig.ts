import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

/** How a kubeconfig user authenticates: a bearer token or a client certificate. */
export type UserCredentials =
  | { readonly token: string }
  | { readonly clientCertificatePem: string; readonly clientKeyPem: string };

/** Everything a kubeconfig for one user of the test control plane holds. */
export interface KubeconfigParams {
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** CA that signed the server's certificate, PEM. */
  readonly caPem: string;
  readonly userName: string;
  readonly credentials: UserCredentials;
  /** Default namespace of the context; none by default. */
  readonly namespace?: string;
  /** Cluster name in the file; default `odh-nim-test`. */
  readonly clusterName?: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** A kubeconfig YAML with one cluster, one user and one current context. */
export function buildKubeconfig(params: KubeconfigParams): string {
  const cluster = params.clusterName ?? 'odh-nim-test';
  const context = `${params.userName}@${cluster}`;
  const user =
    'token' in params.credentials
      ? { token: params.credentials.token }
      : {
          'client-certificate-data': b64(params.credentials.clientCertificatePem),
          'client-key-data': b64(params.credentials.clientKeyPem),
        };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster,
        cluster: { server: params.server, 'certificate-authority-data': b64(params.caPem) },
      },
    ],
    users: [{ name: params.userName, user }],
    contexts: [
      {
        name: context,
        context: {
          cluster,
          user: params.userName,
          ...(params.namespace ? { namespace: params.namespace } : {}),
        },
      },
    ],
    'current-context': context,
    preferences: {},
  });
}

/** A `KubeConfig` loaded from kubeconfig YAML (e.g. one passed from the global setup). */
export function kubeConfigFromYaml(yaml: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  return kc;
}
