import type { z } from 'zod';

import { apiErrorSchema, type ApiError, type ApiErrorCode } from '../../api/types.js';

/** Why a call failed: an API error code, or a failure before any usable answer. */
export type RequestErrorCode = ApiErrorCode | 'network' | 'unexpected-response' | 'aborted';

/**
 * A failed call to the dashboard backend. `status` is 0 when no HTTP answer arrived; `body` is the
 * backend's error document when it sent one (with `failedStep`, `rolledBack`, `issues`...).
 */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  readonly code: RequestErrorCode;
  readonly status: number;
  readonly body: ApiError | undefined;

  constructor(options: {
    code: RequestErrorCode;
    status: number;
    message: string;
    body?: ApiError;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.body = options.body;
  }
}

/** True for an error of this module. */
export function isApiRequestError(error: unknown): error is ApiRequestError {
  return error instanceof ApiRequestError;
}

/** Any thrown value as an `ApiRequestError`, so views handle one type. */
export function toApiRequestError(error: unknown): ApiRequestError {
  if (isApiRequestError(error)) return error;
  if (error instanceof DOMException && error.name === 'AbortError') {
    return new ApiRequestError({ code: 'aborted', status: 0, message: 'Cancelled.' });
  }
  return new ApiRequestError({
    code: 'internal',
    status: 0,
    message: error instanceof Error ? error.message : 'Something went wrong.',
    cause: error,
  });
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Calls the backend at a same-origin path and checks the answer with `schema`. No credentials
 * are added: in OpenShift the oauth-proxy in front of the dashboard forwards the user's token.
 */
export async function requestJson<T>(
  path: string,
  schema: z.ZodType<T>,
  options: RequestOptions = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(toUrl(path), {
      method: options.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (options.signal?.aborted) {
      throw new ApiRequestError({
        code: 'aborted',
        status: 0,
        message: 'Cancelled.',
        cause: error,
      });
    }
    throw new ApiRequestError({
      code: 'network',
      status: 0,
      message: 'The dashboard server could not be reached. Check your connection and try again.',
      cause: error,
    });
  }

  const payload = await readJson(response);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(payload);
    if (parsed.success) {
      throw new ApiRequestError({
        code: parsed.data.code,
        status: response.status,
        message: parsed.data.message,
        body: parsed.data,
      });
    }
    throw new ApiRequestError({
      code: fallbackCode(response.status),
      status: response.status,
      message: `The dashboard server answered ${response.status} ${response.statusText}.`.trim(),
    });
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new ApiRequestError({
      code: 'unexpected-response',
      status: response.status,
      message: `The dashboard server sent an answer this page does not understand (${path}).`,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function fallbackCode(status: number): ApiErrorCode {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  return 'internal';
}

// Paths from the contract start with "/api"; resolve them against the page so the dashboard
// also works under a path prefix (the bundle is built with relative asset URLs).
function toUrl(path: string): string {
  if (typeof document === 'undefined') return path;
  const base = document.baseURI.replace(/[#?].*$/, '').replace(/[^/]*$/, '');
  return new URL(path.replace(/^\//, ''), base).toString();
}
