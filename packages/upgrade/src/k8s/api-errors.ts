import { ApiException } from '@kubernetes/client-node';
import { z } from 'zod';

const statusSchema = z.looseObject({
  message: z.string().optional(),
  reason: z.string().optional(),
});

/** HTTP status of a failed API call, or undefined when the call never got an answer. */
export function statusCodeOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** The `reason` of the apiserver's Status body (`Conflict`, `AlreadyExists`, `NotFound`, …). */
export function statusReasonOf(error: unknown): string | undefined {
  return error instanceof ApiException ? parseStatus(error.body)?.reason : undefined;
}

/** 404: the object, or for a list the resource type, does not exist. */
export function isNotFound(error: unknown): boolean {
  return statusCodeOf(error) === 404;
}

/** 409 for a stale resourceVersion or a failed precondition (not AlreadyExists). */
export function isConflict(error: unknown): boolean {
  return statusCodeOf(error) === 409 && statusReasonOf(error) !== 'AlreadyExists';
}

/** 409 AlreadyExists on a create. */
export function isAlreadyExists(error: unknown): boolean {
  return statusCodeOf(error) === 409 && statusReasonOf(error) === 'AlreadyExists';
}

const TRANSIENT_CODES = new Set([429, 500, 502, 503, 504]);

/**
 * Worth another try: throttling, a server error, or no answer at all (connection refused or
 * reset, timeout). A 4xx other than 429 is an answer and will not change on retry.
 */
export function isTransient(error: unknown): boolean {
  const code = statusCodeOf(error);
  if (code === undefined) return !(error instanceof z.ZodError);
  return TRANSIENT_CODES.has(code);
}

/** A one-line description of an API failure a person can act on: code, reason and message. */
export function describeApiError(error: unknown): string {
  if (error instanceof ApiException) {
    const status = parseStatus(error.body);
    const detail = status?.message ?? (typeof error.body === 'string' ? error.body : '');
    return `HTTP ${error.code}${status?.reason ? ` ${status.reason}` : ''}${detail ? `: ${detail}` : ''}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

function parseStatus(body: unknown): z.infer<typeof statusSchema> | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const parsed = statusSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
