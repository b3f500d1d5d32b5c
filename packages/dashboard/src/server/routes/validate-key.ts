import type { FastifyInstance } from 'fastify';

import { describeKeyProblem } from '@odh-nim/contract';

import {
  API_PATHS,
  apiErrorSchema,
  toFieldIssues,
  validateKeyRequestSchema,
  validateKeyResponseSchema,
  type ValidateKeyResponse,
} from '../../api/types.js';
import { RequestValidationError } from '../errors.js';
import { requireBearerToken } from '../identity.js';
import { checkKey, SKIPPED_VALIDATION } from '../key-validation.js';
import { toOpenApiSchema } from '../openapi.js';
import { assertNimEnabled, type RouteContext } from './context.js';
import { keyRateLimit } from './rate-limit.js';

/** `POST /api/nim/validate-key`: one NGC check per call, rate-limited per user. */
export function registerValidateKeyRoutes(app: FastifyInstance, context: RouteContext): void {
  app.post(
    API_PATHS.validateKey,
    {
      config: { rateLimit: keyRateLimit(context.config) },
      schema: {
        summary: 'Validate an NGC personal key with NVIDIA NGC',
        tags: ['nim'],
        body: toOpenApiSchema(validateKeyRequestSchema, 'input'),
        response: {
          200: toOpenApiSchema(validateKeyResponseSchema),
          400: toOpenApiSchema(apiErrorSchema),
          429: toOpenApiSchema(apiErrorSchema),
        },
      },
    },
    async (request): Promise<ValidateKeyResponse> => {
      requireBearerToken(request);
      assertNimEnabled(context);
      const parsed = validateKeyRequestSchema.safeParse(request.body);
      if (!parsed.success) throw new RequestValidationError(toFieldIssues(parsed.error));
      const key = parsed.data.apiKey;
      if (!context.cache.settings.keyValidation) {
        const problem = describeKeyProblem(key);
        return problem ? { valid: false, kind: 'legacy', message: problem } : SKIPPED_VALIDATION;
      }
      const result = await checkKey(context.ngc, key);
      request.log.info({ outcome: result.kind }, 'NGC key validated');
      return result;
    },
  );
}
