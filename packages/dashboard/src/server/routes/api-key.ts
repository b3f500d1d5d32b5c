import type { FastifyInstance } from 'fastify';

import { NIM_PULL_SECRET_NAME, NIM_SECRET_NAME } from '@odh-nim/contract';

import {
  API_PATHS,
  apiErrorSchema,
  apiKeyStatusResponseSchema,
  rotateKeyRequestSchema,
  rotateKeyResponseSchema,
  type ApiKeyStatusResponse,
  type RotateKeyResponse,
} from '../../api/types.js';
import { rotateKey } from '../deployments/rotate-key.js';
import { fromKubernetesError } from '../k8s/errors.js';
import { getSecret } from '../k8s/secrets/k8s.js';
import { toOpenApiSchema } from '../openapi.js';
import { assertNimEnabled, namespaceParam, userClients, type RouteContext } from './context.js';
import { keyRateLimit } from './rate-limit.js';

const errors = {
  400: toOpenApiSchema(apiErrorSchema),
  401: toOpenApiSchema(apiErrorSchema),
  403: toOpenApiSchema(apiErrorSchema),
};

/** A project's NGC key: whether one is stored, and rotation. */
export function registerApiKeyRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get(
    API_PATHS.apiKey,
    {
      schema: {
        summary: 'Whether the project stores an NGC key (never its value)',
        tags: ['api-key'],
        response: { 200: toOpenApiSchema(apiKeyStatusResponseSchema), ...errors },
      },
    },
    async (request): Promise<ApiKeyStatusResponse> => {
      const api = userClients(context, request);
      assertNimEnabled(context);
      const namespace = namespaceParam(request);
      try {
        const [keySecret, pullSecret] = await Promise.all([
          getSecret(api, namespace, NIM_SECRET_NAME),
          getSecret(api, namespace, NIM_PULL_SECRET_NAME),
        ]);
        return { exists: keySecret !== undefined, complete: !!keySecret && !!pullSecret };
      } catch (error) {
        throw fromKubernetesError(error, `reading the NIM secrets of project ${namespace}`);
      }
    },
  );

  app.put(
    API_PATHS.apiKey,
    {
      config: { rateLimit: keyRateLimit(context.config) },
      schema: {
        summary: "Rotate the project's NGC key and restart its NIM deployments",
        description:
          'The key the project already holds changes nothing and restarts nothing (changed: false).',
        tags: ['api-key'],
        body: toOpenApiSchema(rotateKeyRequestSchema, 'input'),
        response: { 200: toOpenApiSchema(rotateKeyResponseSchema), ...errors },
      },
    },
    async (request): Promise<RotateKeyResponse> => {
      const api = userClients(context, request);
      assertNimEnabled(context);
      const namespace = namespaceParam(request);
      return rotateKey(
        {
          api,
          cache: context.cache,
          ngc: context.ngc,
          registry: context.config.registry,
          logger: request.log,
        },
        namespace,
        request.body,
      );
    },
  );
}
