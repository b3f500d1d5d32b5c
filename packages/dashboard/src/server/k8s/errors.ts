import { ApiException } from '@kubernetes/client-node';
import { z } from 'zod';

import { DashboardError } from '../errors.js';

const statusBodySchema = z.looseObject({
  message: z.string().optional(),
  reason: z.string().optional(),
  code: z.number().optional(),
});

/** The HTTP status of a failed apiserver call, or `undefined` for a network failure. */
export function statusCodeOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  return undefined;
}

/** True when the apiserver answered 404. */
export function isNotFound(error: unknown): boolean {
  return statusCodeOf(error) === 404;
}

/** True when the apiserver answered 409 (already exists, or a resourceVersion conflict). */
export function isConflict(error: unknown): boolean {
  return statusCodeOf(error) === 409;
}

/**
 * The apiserver's own explanation (the `Status.message`), never the raw exception text: that
 * carries response headers and bodies.
 */
export function kubernetesMessageOf(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    let parsed: unknown = body;
    if (typeof body === 'string') {
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
    }
    const status = statusBodySchema.safeParse(parsed);
    if (status.success && status.data.message) return status.data.message;
    if (error.code === 401) return 'the apiserver did not accept the bearer token';
    return `the apiserver answered HTTP ${error.code}`;
  }
  if (error instanceof Error) {
    // NB: node-fetch errors name the URL and errno only, never a header.
    return `the apiserver could not be reached (${error.name})`;
  }
  return 'unknown error calling the apiserver';
}

/**
 * Turns a failed apiserver call into a {@link DashboardError}: 401/403/404/409 map to their own
 * codes and statuses, other 4xx pass through, 5xx and network failures become 502.
 */
export function fromKubernetesError(error: unknown, context: string): DashboardError {
  if (error instanceof DashboardError) return error;
  const status = statusCodeOf(error);
  const message = `${context}: ${kubernetesMessageOf(error)}`;
  const options = { kubernetesStatus: status, cause: error };
  switch (status) {
    case 401:
      return new DashboardError('unauthenticated', message, { status: 401, ...options });
    case 403:
      return new DashboardError('forbidden', message, { status: 403, ...options });
    case 404:
      return new DashboardError('not-found', message, { status: 404, ...options });
    case 409:
      return new DashboardError('already-exists', message, { status: 409, ...options });
    case undefined:
      return new DashboardError('kubernetes-error', message, { status: 502, ...options });
    default:
      return new DashboardError('kubernetes-error', message, {
        status: status >= 400 && status < 500 ? status : 502,
        ...options,
      });
  }
}
