import { encodeBase64 } from './encoding.js';
import { registryHost } from './image.js';
import {
  LABELS,
  LEGACY_API_KEY_DATA_KEY,
  NGC_API_KEY_ENV,
  NGC_REGISTRY_USERNAME,
  NIM_PULL_SECRET_NAME,
  NIM_SECRET_NAME,
} from './names.js';

/** The fields of a core/v1 Secret this project writes. */
export interface SecretObject {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: 'Opaque' | 'kubernetes.io/dockerconfigjson';
  data: Record<string, string>;
}

export interface NimSecretsParams {
  namespace: string;
  apiKey: string;
  /** Registry override; the pull secret's `auths` host follows it. */
  registry?: string | undefined;
}

/** `nvidia-nim-secrets`: the key under `NGC_API_KEY` and, for older tools, `api_key`. */
export function buildApiKeySecret({ namespace, apiKey }: NimSecretsParams): SecretObject {
  const encoded = encodeBase64(apiKey);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: NIM_SECRET_NAME, namespace, labels: { [LABELS.managed]: 'true' } },
    type: 'Opaque',
    data: { [NGC_API_KEY_ENV]: encoded, [LEGACY_API_KEY_DATA_KEY]: encoded },
  };
}

/** `nvidia-nim-image-pull`: a dockerconfigjson for the NGC registry with the user's key. */
export function buildPullSecret({ namespace, apiKey, registry }: NimSecretsParams): SecretObject {
  const dockerConfig = {
    auths: {
      [registryHost(registry)]: {
        username: NGC_REGISTRY_USERNAME,
        password: apiKey,
        auth: encodeBase64(`${NGC_REGISTRY_USERNAME}:${apiKey}`),
      },
    },
  };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: NIM_PULL_SECRET_NAME, namespace, labels: { [LABELS.managed]: 'true' } },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': encodeBase64(JSON.stringify(dockerConfig)) },
  };
}

/** Both per-project secrets, in the order a deploy creates them. */
export function buildNimSecrets(params: NimSecretsParams): [SecretObject, SecretObject] {
  return [buildApiKeySecret(params), buildPullSecret(params)];
}
