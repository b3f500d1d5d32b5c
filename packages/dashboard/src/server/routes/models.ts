import type { FastifyInstance } from 'fastify';

import { normalizeRegistry } from '@odh-nim/contract';

import {
  API_PATHS,
  apiErrorSchema,
  configResponseSchema,
  modelsResponseSchema,
  type ConfigResponse,
} from '../../api/types.js';
import { requireBearerToken } from '../identity.js';
import { toOpenApiSchema } from '../openapi.js';
import type { RouteContext } from './context.js';

/** `GET /api/nim/models` and `GET /api/nim/config`: answered from the cache, no apiserver call. */
export function registerCatalogRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get(
    API_PATHS.models,
    {
      schema: {
        summary: 'The NIM model catalog, with skipped entries as warnings',
        tags: ['nim'],
        response: {
          200: toOpenApiSchema(modelsResponseSchema),
          304: { description: 'Unchanged since the ETag sent in If-None-Match', type: 'null' },
          401: toOpenApiSchema(apiErrorSchema),
        },
      },
    },
    async (request, reply) => {
      requireBearerToken(request);
      // Serialized when the ConfigMap changed: a request costs a buffer write, or a 304.
      const { body, etag } = context.cache.modelsBody();
      void reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.get(
    API_PATHS.config,
    {
      schema: {
        summary: 'What the administrator configured for NIM',
        tags: ['nim'],
        response: {
          200: toOpenApiSchema(configResponseSchema),
          401: toOpenApiSchema(apiErrorSchema),
        },
      },
    },
    async (request): Promise<ConfigResponse> => {
      requireBearerToken(request);
      const { settings, catalog } = context.cache;
      return {
        enabled: settings.enabled,
        keyValidation: settings.keyValidation,
        keyCollection: settings.keyCollection,
        applicationsNamespace: context.config.applicationsNamespace,
        catalogSource: settings.catalogSource,
        catalogState: settings.enabled ? catalog.state : 'disabled',
        registry: normalizeRegistry(context.config.registry),
        templates: context.cache.templateInfos(),
        nimConfigCrd: context.cache.nimConfigCrd,
      };
    },
  );
}
