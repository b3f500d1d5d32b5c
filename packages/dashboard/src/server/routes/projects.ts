import type { FastifyInstance } from 'fastify';

import {
  API_PATHS,
  apiErrorSchema,
  projectsResponseSchema,
  whoamiResponseSchema,
  type ProjectsResponse,
  type WhoamiResponse,
} from '../../api/types.js';
import { fromKubernetesError, statusCodeOf } from '../k8s/errors.js';
import { getSelfSubject, listProjects } from '../k8s/projects/k8s.js';
import { toOpenApiSchema } from '../openapi.js';
import { userClients, type RouteContext } from './context.js';

/** `GET /api/projects` and `GET /api/whoami`, as the caller. */
export function registerProjectRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get(
    API_PATHS.projects,
    {
      schema: {
        summary: 'Projects the caller can list',
        tags: ['projects'],
        response: {
          200: toOpenApiSchema(projectsResponseSchema),
          401: toOpenApiSchema(apiErrorSchema),
        },
      },
    },
    async (request): Promise<ProjectsResponse> => {
      const api = userClients(context, request);
      try {
        return { projects: await listProjects(api) };
      } catch (error) {
        if (statusCodeOf(error) === 403) {
          return {
            projects: [],
            message:
              'You may not list projects on this cluster. Type the name of a project you can use.',
          };
        }
        throw fromKubernetesError(error, 'listing projects');
      }
    },
  );

  app.get(
    API_PATHS.whoami,
    {
      schema: {
        summary: 'Who the caller is (SelfSubjectReview)',
        tags: ['projects'],
        response: {
          200: toOpenApiSchema(whoamiResponseSchema),
          401: toOpenApiSchema(apiErrorSchema),
        },
      },
    },
    async (request): Promise<WhoamiResponse> => {
      const api = userClients(context, request);
      try {
        return await getSelfSubject(api);
      } catch (error) {
        throw fromKubernetesError(error, 'reviewing the caller');
      }
    },
  );
}
