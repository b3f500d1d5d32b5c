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

/** A read's answer, or `undefined` when the apiserver answers 404. */
export async function readOrUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Runs a delete and says whether the object existed: a 404 counts as deleted. */
export async function deleteIfExists(remove: Promise<unknown>): Promise<boolean> {
  return (await readOrUndefined(remove.then(() => true))) ?? false;
}

/** True when the apiserver answered 409 (already exists, or a resourceVersion conflict). */
export function isConflict(error: unknown): boolean {
  return statusCodeOf(error) === 409;
}

/** The apiserver's `Status.reason` of a failed call (`AlreadyExists`, `Conflict`, …). */
export function kubernetesReasonOf(error: unknown): string | undefined {
  return error instanceof ApiException ? statusBodyOf(error)?.reason : undefined;
}

/** True when a create failed because an object of that name exists. */
export function isAlreadyExists(error: unknown): boolean {
  return isConflict(error) && kubernetesReasonOf(error) === 'AlreadyExists';
}

/** The apiserver's `Status` body of a failed call, when it sent one. */
function statusBodyOf(error: ApiException<unknown>): z.infer<typeof statusBodySchema> | undefined {
  let parsed: unknown = error.body;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      return undefined;
    }
  }
  const status = statusBodySchema.safeParse(parsed);
  return status.success ? status.data : undefined;
}

/**
 * The apiserver's own explanation (the `Status.message`), never the raw exception text: that
 * carries response headers and bodies.
 */
export function kubernetesMessageOf(error: unknown): string {
  if (error instanceof ApiException) {
    const message = statusBodyOf(error)?.message;
    if (message) return message;
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
    case 409: {
      // NB: 409 is both "already exists" and "changed since you read it" (reason Conflict).
      // `already-exists` is kept for a taken deployment name, which callers name themselves.
      const code = kubernetesReasonOf(error) === 'Conflict' ? 'conflict' : 'object-exists';
      return new DashboardError(code, message, { status: 409, ...options });
    }
    case undefined:
      return new DashboardError('kubernetes-error', message, { status: 502, ...options });
    default:
      return new DashboardError('kubernetes-error', message, {
        status: status >= 400 && status < 500 ? status : 502,
        ...options,
      });
  }
}
