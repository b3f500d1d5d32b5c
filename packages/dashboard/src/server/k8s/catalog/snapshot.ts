import { createHash } from 'node:crypto';

import { ContractError, parseModelsConfigMap, type ModelEntry } from '@odh-nim/contract';

import type {
  CatalogSource,
  CatalogState,
  CatalogWarning,
  ModelsResponse,
} from '../../../api/types.js';

/** The catalog as last read, with the `GET /api/nim/models` body serialized once. */
export interface CatalogSnapshot {
  state: Exclude<CatalogState, 'disabled'>;
  source: CatalogSource;
  models: readonly ModelEntry[];
  byName: ReadonlyMap<string, ModelEntry>;
  warnings: readonly CatalogWarning[];
  message?: string;
  resourceVersion?: string;
  /** The models response, serialized and UTF-8 encoded once per ConfigMap change. */
  body: Buffer;
  /** Strong ETag of `body`. */
  etag: string;
}

/** A serialized models response and its ETag. */
export interface ModelsBody {
  body: Buffer;
  etag: string;
}

/**
 * Builds the catalog from the ConfigMap (`undefined` when it does not exist). Malformed entries
 * are skipped and reported as warnings; a ConfigMap that is not a catalog reads as `invalid`.
 */
export function buildCatalogSnapshot(
  configMap: unknown,
  source: CatalogSource,
  resourceVersion?: string,
): CatalogSnapshot {
  if (configMap === undefined) {
    return finish({
      state: 'catalog-not-installed',
      source,
      models: [],
      warnings: [],
      message:
        `The NIM model catalog (ConfigMap ${source.namespace}/${source.name}) is not installed. ` +
        (source.custom
          ? 'Check spec.nimConfig.customConfigMap of the OdhDashboardConfig.'
          : 'Ask your administrator to install the NIM manifests.'),
    });
  }
  try {
    const { models, problems } = parseModelsConfigMap(configMap);
    return finish({
      state: 'ready',
      source,
      models,
      warnings: problems,
      ...(resourceVersion ? { resourceVersion } : {}),
      ...(models.length === 0
        ? { message: `The catalog ${source.namespace}/${source.name} lists no usable model.` }
        : {}),
    });
  } catch (error) {
    const reason = error instanceof ContractError ? error.message : 'unreadable';
    return finish({
      state: 'invalid',
      source,
      models: [],
      warnings: [],
      message: `ConfigMap ${source.namespace}/${source.name} is not a NIM catalog: ${reason}`,
      ...(resourceVersion ? { resourceVersion } : {}),
    });
  }
}

/** The models response when NIM is disabled. */
export function buildDisabledModelsBody(source: CatalogSource): ModelsBody {
  const body: ModelsResponse = {
    state: 'disabled',
    source,
    models: [],
    warnings: [],
    message: 'NVIDIA NIM model serving is disabled by the administrator (disableNIMModelServing).',
  };
  return encode(body);
}

// NB: sending a prepared Buffer spares Fastify a UTF-8 length scan of a large string per request.
function encode(response: ModelsResponse): ModelsBody {
  const body = Buffer.from(JSON.stringify(response), 'utf8');
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

function finish(snapshot: Omit<CatalogSnapshot, 'body' | 'etag' | 'byName'>): CatalogSnapshot {
  const response: ModelsResponse = {
    state: snapshot.state,
    source: snapshot.source,
    models: [...snapshot.models],
    warnings: [...snapshot.warnings],
    ...(snapshot.message !== undefined ? { message: snapshot.message } : {}),
    ...(snapshot.resourceVersion !== undefined
      ? { resourceVersion: snapshot.resourceVersion }
      : {}),
  };
  return {
    ...snapshot,
    byName: new Map(snapshot.models.map((model) => [model.name, model])),
    ...encode(response),
  };
}
