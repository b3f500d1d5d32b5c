import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { KubeConfig } from '@kubernetes/client-node';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';

import { createNgcClient } from '@odh-nim/ngc';

import { API_PATHS, type ApiError } from '../api/types.js';
import { ClusterCache } from './cluster-cache.js';
import type { ServerConfig } from './config.js';
import { DashboardError } from './errors.js';
import type { KeyValidator } from './key-validation.js';
import { createLogger } from './logger.js';
import { registerApiKeyRoutes } from './routes/api-key.js';
import type { RouteContext } from './routes/context.js';
import { registerDeploymentRoutes } from './routes/deployments.js';
import { registerCatalogRoutes } from './routes/models.js';
import { registerProjectRoutes } from './routes/projects.js';
import { registerValidateKeyRoutes } from './routes/validate-key.js';

/** The built frontend, when `config.webDir` is not set. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** What {@link createServer} is given besides its configuration. */
export interface ServerDeps {
  /** The backend's own credentials (and the cluster every caller's token is sent to). */
  kubeConfig: KubeConfig;
  /** NGC key validation. Default: an NGC client on `config.ngcBaseUrl`. */
  ngc?: KeyValidator;
  /** A ready logger. Default: pino with the redaction paths, to `logDestination` or stdout. */
  logger?: Logger;
  /** Where the default logger writes (tests capture it). */
  logDestination?: DestinationStream;
  /** A cluster cache to use instead of starting one. */
  cache?: ClusterCache;
  /** Clock of restart annotations. */
  now?: () => Date;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The cluster cache behind the catalog and configuration routes. */
    nimCache: ClusterCache;
  }
}

/**
 * Builds the backend: starts the cluster cache (its first list is done when this resolves),
 * registers every route, the OpenAPI description and the frontend. Call `listen` to serve;
 * `close` stops the watches too.
 */
export async function createServer(
  config: ServerConfig,
  deps: ServerDeps,
): Promise<FastifyInstance> {
  const logger =
    deps.logger ??
    createLogger({
      level: config.logLevel,
      ...(deps.logDestination ? { destination: deps.logDestination } : {}),
    });
  const cache =
    deps.cache ??
    new ClusterCache({
      kubeConfig: deps.kubeConfig,
      applicationsNamespace: config.applicationsNamespace,
      logger: logger.child({ component: 'cluster-cache' }),
    });
  const ngc =
    deps.ngc ??
    createNgcClient({
      ...(config.ngcBaseUrl ? { baseUrl: config.ngcBaseUrl } : {}),
      timeoutMs: config.ngcTimeoutMs,
      retries: 1,
      logger: logger.child({ component: 'ngc' }),
    });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    // NB: behind OpenShift's oauth-proxy the client address is in X-Forwarded-For.
    trustProxy: true,
  });
  // zod validates bodies in the handlers (to name each invalid field); the JSON schemas derived
  // from it only describe the API, so Fastify neither validates nor compiles serializers.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.decorate('nimCache', cache);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OpenDataHub NVIDIA NIM dashboard API',
        version: '1.0.0',
        description:
          'Every call in a project acts with the caller’s bearer token (Authorization or X-Forwarded-Access-Token).',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'rate-limited',
      message: `Too many requests: at most ${context.max} every ${context.after}. Try again later.`,
    }),
  });

  app.setErrorHandler((error: FastifyError | DashboardError, request, reply) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) {
      // The response says "see the server log": the stack is what makes that true. Request
      // bodies are never part of it, and apiserver messages already redact Secret contents.
      request.log.error(
        { code: body.code, errorName: error.name, stack: error.stack },
        body.message,
      );
    } else {
      request.log.info({ code: body.code, status, step: body.failedStep }, body.message);
    }
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  });

  const context: RouteContext = {
    config,
    cache,
    kubeConfig: deps.kubeConfig,
    ngc,
    logger,
    now: deps.now ?? (() => new Date()),
  };
  app.get(API_PATHS.health, { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get(API_PATHS.openapi, { schema: { hide: true } }, async () => app.swagger());
  registerCatalogRoutes(app, context);
  registerValidateKeyRoutes(app, context);
  registerDeploymentRoutes(app, context);
  registerApiKeyRoutes(app, context);
  registerProjectRoutes(app, context);

  const webDir = resolve(config.webDir ?? DEFAULT_WEB_DIR);
  const serveWeb = existsSync(join(webDir, 'index.html'));
  if (serveWeb) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/') && path !== '/api' && serveWeb && request.method === 'GET') {
      // SPA fallback: the frontend routes every other path itself.
      return reply.sendFile('index.html');
    }
    const body: ApiError = { code: 'not-found', message: `No route ${request.method} ${path}.` };
    return reply.code(404).send(body);
  });

  app.addHook('onClose', async () => {
    if (!deps.cache) cache.stop();
  });
  if (!deps.cache) await cache.start();
  logger.info(
    {
      applicationsNamespace: config.applicationsNamespace,
      ngcBaseUrl: config.ngcBaseUrl ?? 'default',
      registry: config.registry ?? 'default',
      web: serveWeb ? webDir : false,
      nimConfigCrd: cache.nimConfigCrd.state,
    },
    'NIM dashboard backend ready',
  );
  return app;
}

/** The status and body of any error a handler threw; never the raw text of parser errors. */
export function toErrorResponse(error: unknown): { status: number; body: ApiError } {
  if (error instanceof DashboardError) return { status: error.status, body: error.toBody() };
  const fastifyError = error as Partial<FastifyError> & { statusCode?: number };
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status === 429) {
    return {
      status,
      body: { code: 'rate-limited', message: fastifyError.message ?? 'Too many requests.' },
    };
  }
  if (status >= 400 && status < 500) {
    // NB: V8's JSON.parse messages quote the input, which may hold a key: never echo them.
    const message =
      fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'Send the body as application/json.'
        : fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'The request body is too large.'
          : 'The request body is not valid JSON.';
    return { status, body: { code: 'invalid-request', message, field: '(body)' } };
  }
  return {
    status: 500,
    body: { code: 'internal', message: 'Internal error; see the server log.' },
  };
}
