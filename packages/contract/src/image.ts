import type { ModelEntry } from './model-entry.js';
import { DEFAULT_REGISTRY } from './names.js';

/**
 * The container image of a model version: `{registry}/{namespace}/{name}:{tag}`. The registry
 * defaults to nvcr.io and is overridable for mirrored (air-gapped) registries; a trailing slash
 * or a scheme in the override is tolerated.
 */
export function buildImageReference(
  model: Pick<ModelEntry, 'namespace' | 'name'>,
  tag: string,
  options: { registry?: string | undefined } = {},
): string {
  return `${normalizeRegistry(options.registry)}/${model.namespace}/${model.name}:${tag}`;
}

/** Registry host (and optional path) without scheme or trailing slash. */
export function normalizeRegistry(registry: string | undefined): string {
  const value = (registry ?? '')
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/+$/, '');
  return value.length > 0 ? value : DEFAULT_REGISTRY;
}

/** Host part of a registry, the key of a dockerconfigjson `auths` entry. */
export function registryHost(registry: string | undefined): string {
  return normalizeRegistry(registry).split('/')[0] ?? DEFAULT_REGISTRY;
}
