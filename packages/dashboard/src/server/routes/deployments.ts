import type { FastifyInstance } from 'fastify';

import {
  API_PATHS,
  apiErrorSchema,
  deleteResponseSchema,
  deployRequestSchema,
  deployResponseSchema,
  deploymentsResponseSchema,
  type DeleteResponse,
  type DeploymentsResponse,
} from '../../api/types.js';
import { deleteNim } from '../deployments/delete.js';
import { deployNim } from '../deployments/deploy.js';
import { listNimDeployments } from '../deployments/list.js';
import { toOpenApiSchema } from '../openapi.js';
import {
  assertNimEnabled,
  deploymentParams,
  namespaceParam,
  userClients,
  type RouteContext,
} from './context.js';
import { keyRateLimit } from './rate-limit.js';

const errors = {
  400: toOpenApiSchema(apiErrorSchema),
  401: toOpenApiSchema(apiErrorSchema),
  403: toOpenApiSchema(apiErrorSchema),
  404: toOpenApiSchema(apiErrorSchema),
  409: toOpenApiSchema(apiErrorSchema),
};

/** A project's NIM deployments: list, deploy, delete; all as the caller. */
export function registerDeploymentRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get(
    API_PATHS.deployments,
    {
      schema: {
        summary: "The project's NIM deployments with their status",
        tags: ['deployments'],
        response: { 200: toOpenApiSchema(deploymentsResponseSchema), ...errors },
      },
    },
    async (request): Promise<DeploymentsResponse> => {
      const api = userClients(context, request);
      assertNimEnabled(context);
      const namespace = namespaceParam(request);
      return listNimDeployments({ api, cache: context.cache }, namespace);
    },
  );

  app.post(
    API_PATHS.deployments,
    {
      schema: {
        summary: 'Deploy a NIM model (secrets, PVC, ServingRuntime, InferenceService)',
        description:
          'Validates everything first, dry-runs every object, then writes them; on a failure it ' +
          'undoes what it wrote and names the failed step (failedStep, rolledBack).',
        tags: ['deployments'],
        body: toOpenApiSchema(deployRequestSchema, 'input'),
        response: { 201: toOpenApiSchema(deployResponseSchema), ...errors },
      },
      // A deploy validates its key with NGC: the same per-user limit as validate-key applies,
      // or failing deploys would be an unlimited way to test keys.
      config: { rateLimit: keyRateLimit(context.config) },
    },
    async (request, reply) => {
      const api = userClients(context, request);
      assertNimEnabled(context);
      const namespace = namespaceParam(request);
      const result = await deployNim(
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
      return reply.code(201).send(result);
    },
  );

  app.delete(
    API_PATHS.deployment,
    {
      schema: {
        summary: 'Delete a NIM deployment; the garbage collector takes what only it owned',
        description:
          'Deletes the InferenceService and ServingRuntime. The cache PVC they own and the ' +
          "project's NIM secrets go with their last owner (collected); the rest is kept, with why.",
        tags: ['deployments'],
        response: { 200: toOpenApiSchema(deleteResponseSchema), ...errors },
      },
    },
    async (request): Promise<DeleteResponse> => {
      const api = userClients(context, request);
      assertNimEnabled(context);
      const { ns, name } = deploymentParams(request);
      return deleteNim(
        { api, logger: request.log, catalog: context.cache.catalog.byName },
        ns,
        name,
      );
    },
  );
}
