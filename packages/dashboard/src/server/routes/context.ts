import type { KubeConfig } from '@kubernetes/client-node';
import type { FastifyRequest } from 'fastify';

import { deploymentParamsSchema, namespaceParamsSchema, toFieldIssues } from '../../api/types.js';
import type { ClusterCache } from '../cluster-cache.js';
import type { ServerConfig } from '../config.js';
import { nimDisabled, RequestValidationError } from '../errors.js';
import { requireBearerToken } from '../identity.js';
import type { KeyValidator } from '../key-validation.js';
import { buildUserKubeConfig, makeKubeClients, type KubeClients } from '../k8s/clients.js';
import type { ServerLogger } from '../logger.js';

/** What every route group gets. */
export interface RouteContext {
  config: ServerConfig;
  cache: ClusterCache;
  /** The backend's own kubeconfig: its cluster is reused for callers, its user only by the cache. */
  kubeConfig: KubeConfig;
  ngc: KeyValidator;
  logger: ServerLogger;
  now: () => Date;
}

/** API clients acting as the caller (401 without a token). */
export function userClients(context: RouteContext, request: FastifyRequest): KubeClients {
  const token = requireBearerToken(request);
  return makeKubeClients(buildUserKubeConfig(context.kubeConfig, token));
}

/** 403 `nim-disabled` when the administrator turned NIM off. */
export function assertNimEnabled(context: RouteContext): void {
  if (!context.cache.settings.enabled) throw nimDisabled();
}

/** The `:ns` path parameter, checked. */
export function namespaceParam(request: FastifyRequest): string {
  const parsed = namespaceParamsSchema.safeParse(request.params);
  if (!parsed.success) throw new RequestValidationError(toFieldIssues(parsed.error));
  return parsed.data.ns;
}

/** The `:ns` and `:name` path parameters, checked. */
export function deploymentParams(request: FastifyRequest): { ns: string; name: string } {
  const parsed = deploymentParamsSchema.safeParse(request.params);
  if (!parsed.success) throw new RequestValidationError(toFieldIssues(parsed.error));
  return parsed.data;
}
