import { createHash } from 'node:crypto';

import type { V1Secret } from '@kubernetes/client-node';

import { decodeBase64, NGC_API_KEY_ENV } from '@odh-nim/contract';

/**
 * The version of a project's key that a NIM deployment's pods record (`ANNOTATIONS.keyVersion`):
 * a SHA-256 prefix of the key, salted with the project, so the same key gives the same version on
 * every backend replica with no coordination, and one project's version says nothing about
 * another's. It is a fingerprint, never the key.
 */
export function keyVersionOf(namespace: string, apiKey: string): string {
  return createHash('sha256')
    .update(`odh-nim-key-version\0${namespace}\0${apiKey}`)
    .digest('hex')
    .slice(0, 16);
}

/** The key `nvidia-nim-secrets` holds (in memory only), if it holds one. */
export function storedKeyOf(secret: V1Secret | undefined): string | undefined {
  const encoded = secret?.data?.[NGC_API_KEY_ENV];
  if (!encoded) return undefined;
  const key = decodeBase64(encoded);
  return key === '' ? undefined : key;
}
