import { setMaxListeners } from 'node:events';

import { describeKeyProblem } from '@odh-nim/contract';

import {
  ADAPTIVE_CONCURRENCY_DEFAULTS,
  AdaptiveConcurrency,
  type ConcurrencyStats,
} from './adaptive-concurrency.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.js';
import {
  buildCatalogQuery,
  parseCatalogPage,
  parseResourceId,
  type CatalogEntry,
  type CatalogSkip,
} from './catalog.js';
import { NGC_API_BASE_URL, NIM_CATALOG_QUERY } from './defaults.js';
import {
  NgcAbortedError,
  NgcInvalidResponseError,
  NgcNonPersonalKeyError,
  NgcRequestError,
  NgcUnauthorizedError,
  NgcUnexpectedStatusError,
} from './errors.js';
import {
  defaultSleep,
  sendNgcRequest,
  type HttpContext,
  type NgcLogger,
  type NgcResponse,
  type SleepFn,
} from './http.js';
import { createKeepAliveTransport } from './keep-alive-transport.js';
import { parseModelDetails, type ModelDetails } from './model-details.js';
import { fetchTransport } from './transport.js';

/** Defaults of {@link NgcClientOptions}. */
export const NGC_CLIENT_DEFAULTS = Object.freeze({
  baseUrl: NGC_API_BASE_URL,
  catalogQuery: NIM_CATALOG_QUERY,
  pageSize: 1000,
  maxPages: 1000,
  concurrency: 64,
  initialConcurrency: ADAPTIVE_CONCURRENCY_DEFAULTS.initial,
  timeoutMs: 30_000,
  ...DEFAULT_RETRY_POLICY,
});

/** Options of {@link createNgcClient}; every one has a default. */
export interface NgcClientOptions extends Partial<RetryPolicy> {
  /** Base URL of the catalog and details endpoints. Default `https://api.ngc.nvidia.com`. */
  baseUrl?: string | URL;
  /** Base URL of key validation. Default: `baseUrl`. */
  keyValidationBaseUrl?: string | URL;
  /** Catalog search query. Default `orgName:nim`. */
  catalogQuery?: string;
  /** Requested catalog page size; the server may cap it. Default 1000. */
  pageSize?: number;
  /** Safety stop for a server that never reports the last page. Default 1000. */
  maxPages?: number;
  /**
   * Most per-model calls in flight at once. The width adapts below it (see
   * {@link AdaptiveConcurrency}). Default 64.
   */
  concurrency?: number;
  /** Per-model calls in flight at the start, capped by `concurrency`. Default 16. */
  initialConcurrency?: number;
  /** Per-attempt timeout (connect, headers and body), in ms. Default 30 000. */
  timeoutMs?: number;
  /** Receives retry notices; never the key. Default: silent. */
  logger?: NgcLogger;
  /** Waits between retries. Default: `setTimeout`. */
  sleep?: SleepFn;
  /** Clock for `Retry-After` dates, in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Jitter source in `[0, 1)`. Default `Math.random`. */
  random?: () => number;
  /**
   * Fetch implementation, for tests. Default: Node's HTTP client with a keep-alive pool per host,
   * as wide as `concurrency`.
   */
  fetch?: typeof fetch;
  /** CA certificate (PEM) trusted besides Node's own, e.g. a test server's. Default none. */
  extraCa?: string;
}

/** The catalog search, all pages merged. */
export interface CatalogListing {
  /** NIM containers with a `latestTag`, in the server's order, one per resource id. */
  entries: CatalogEntry[];
  /** Resources left out (no `latestTag`, unusable id). */
  skipped: CatalogSkip[];
  /** Pages fetched. */
  pages: number;
  /** `resultTotal` the server reported. */
  resultTotal: number;
}

/** What fetching one model's details came to. Only `ok` carries data. */
export type ModelDetailsOutcome =
  | { kind: 'ok'; details: ModelDetails }
  /** HTTP 451: not available from this location (EU-restricted). */
  | { kind: 'eu-restricted' }
  /** HTTP 401/403: the key is rejected; fatal for a run. */
  | { kind: 'unauthorized'; status: number }
  | { kind: 'not-found' }
  /** Retries exhausted, an unexpected status or an unusable response. */
  | { kind: 'failed'; reason: string; attempts: number };

/** One model's outcome in {@link NgcClient.fetchAllModelDetails}. */
export interface ModelDetailsResult {
  resourceId: string;
  outcome: ModelDetailsOutcome;
}

/** Progress of a {@link NgcClient.fetchAllModelDetails} run, after each model. */
export interface NgcProgress {
  done: number;
  total: number;
  resourceId: string;
  outcome: ModelDetailsOutcome;
  /** The adaptive width at this point. */
  concurrency: ConcurrencyStats;
}

/** Progress hook, e.g. for a CLI progress line. */
export type NgcProgressCallback = (progress: NgcProgress) => void;

/** Options of {@link NgcClient.fetchAllModelDetails}. */
export interface FetchAllModelDetailsOptions {
  /** NGC personal key (`nvapi-…`). */
  key: string;
  /** Resource ids (`org/team/name`) or catalog entries (whose fields serve as fallbacks). */
  models: readonly (string | CatalogEntry)[];
  onProgress?: NgcProgressCallback;
  signal?: AbortSignal;
}

/** Result of {@link NgcClient.validateKey}. Messages are fit for a person and never quote the key. */
export type KeyValidationResult =
  | { kind: 'valid'; keyType: string | undefined }
  /** Not an NGC personal key; no request was made. */
  | { kind: 'not-personal'; message: string; suggestion: string | undefined }
  /** NGC rejected the key (401/403, or 400 for a malformed one). */
  | { kind: 'invalid'; status: number; message: string }
  /** NGC could not be reached or kept failing (network, timeout, 429/5xx after retries). */
  | { kind: 'unreachable'; message: string; attempts: number }
  /** Any other answer, e.g. a 404 from a wrong base URL. */
  | { kind: 'failed'; status: number; message: string };

/** Per-call options. */
export interface NgcCallOptions {
  signal?: AbortSignal;
}

/** Typed client of the three NGC endpoints NIM needs (SPEC §3.2). */
export interface NgcClient {
  /**
   * Lists every NIM container of the catalog, following pages until `params.page` reaches
   * `resultPageTotal - 1`. Throws {@link NgcError} subclasses on failure.
   */
  listCatalog(options?: NgcCallOptions): Promise<CatalogListing>;
  /**
   * Fetches one model's details and tags. Failures are outcomes, not exceptions; it throws only
   * for a non-personal key (before any request) and when aborted.
   */
  getModelDetails(
    model: string | CatalogEntry,
    key: string,
    options?: NgcCallOptions,
  ): Promise<ModelDetailsOutcome>;
  /**
   * Fetches many models' details, in input order, as many at once as the server copes with (at
   * most `concurrency`; see {@link AdaptiveConcurrency}). On the first 401/403 it stops
   * scheduling, aborts calls in flight and throws {@link NgcUnauthorizedError}.
   */
  fetchAllModelDetails(options: FetchAllModelDetailsOptions): Promise<ModelDetailsResult[]>;
  /** Checks a personal key against NGC. Never throws except when aborted. */
  validateKey(key: string, options?: NgcCallOptions): Promise<KeyValidationResult>;
}

/** Creates an {@link NgcClient}. */
export function createNgcClient(options: NgcClientOptions = {}): NgcClient {
  const settings = { ...NGC_CLIENT_DEFAULTS, ...definedOnly(options) };
  assertSettings(settings);
  const ctx: HttpContext = {
    transport: options.fetch
      ? fetchTransport(options.fetch)
      : createKeepAliveTransport({
          // The key check and catalog pages may share the pool with a full window of details.
          maxSocketsPerHost: settings.concurrency + 2,
          ...(options.extraCa === undefined ? {} : { extraCa: options.extraCa }),
        }).send,
    timeoutMs: settings.timeoutMs,
    retry: {
      retries: settings.retries,
      baseDelayMs: settings.baseDelayMs,
      maxDelayMs: settings.maxDelayMs,
      maxRetryAfterMs: settings.maxRetryAfterMs,
    },
    sleep: options.sleep ?? defaultSleep,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    logger: options.logger,
  };
  const baseUrl = withTrailingSlash(settings.baseUrl);
  const keyBaseUrl = withTrailingSlash(options.keyValidationBaseUrl ?? settings.baseUrl);

  async function listCatalog(call: NgcCallOptions = {}): Promise<CatalogListing> {
    const entries = new Map<string, CatalogEntry>();
    const skipped: CatalogSkip[] = [];
    let resultTotal = 0;
    let requested = 0;
    for (let pages = 1; pages <= settings.maxPages; pages += 1) {
      const context = `catalog page ${requested}`;
      const url = new URL('v2/search/catalog/resources/CONTAINER', baseUrl);
      const query = { query: settings.catalogQuery, page: requested, pageSize: settings.pageSize };
      url.searchParams.set('q', buildCatalogQuery(query));
      const response = expectOk(
        await sendNgcRequest(ctx, { url, method: 'GET', context, body: 'json', ...signalOf(call) }),
        context,
      );
      const page = parseCatalogPage(response.json);
      if ('error' in page) throw new NgcInvalidResponseError(context, page.error);
      ctx.logger?.debug(
        `NGC ${context}: ${page.entries.length} models, ${page.skipped.length} skipped, ` +
          `page ${page.page + 1} of ${page.pageTotal}`,
      );
      resultTotal = page.resultTotal;
      for (const entry of page.entries) {
        // A live index can shift between pages; keep the first sighting of a resource.
        if (!entries.has(entry.resourceId)) entries.set(entry.resourceId, entry);
      }
      skipped.push(...page.skipped);
      if (page.page >= page.pageTotal - 1) {
        return { entries: [...entries.values()], skipped, pages, resultTotal };
      }
      // Trust the echoed page number, but never ask for the same page twice.
      requested = Math.max(requested, page.page) + 1;
    }
    throw new NgcInvalidResponseError(
      'catalog search',
      `still not on the last page after ${settings.maxPages} pages`,
    );
  }

  async function getModelDetails(
    model: string | CatalogEntry,
    rawKey: string,
    call: NgcCallOptions = {},
  ): Promise<ModelDetailsOutcome> {
    const key = requirePersonalKey(rawKey);
    return fetchDetails(model, key, call.signal);
  }

  async function fetchDetails(
    model: string | CatalogEntry,
    key: string,
    signal: AbortSignal | undefined,
    gate?: AdaptiveConcurrency,
  ): Promise<ModelDetailsOutcome> {
    const catalog = typeof model === 'string' ? undefined : model;
    const resourceId = typeof model === 'string' ? model : model.resourceId;
    const id = parseResourceId(resourceId);
    if (!id) return { kind: 'failed', reason: 'resource id is not org/team/name', attempts: 0 };
    const path =
      id.team === undefined
        ? `v2/org/${encodeURIComponent(id.org)}/repos/${encodeURIComponent(id.name)}`
        : `v2/org/${encodeURIComponent(id.org)}/team/${encodeURIComponent(id.team)}/repos/` +
          encodeURIComponent(id.name);
    const url = new URL(path, baseUrl);
    url.searchParams.set('resolve-labels', 'true');
    const context = `model details of ${resourceId}`;
    let response: NgcResponse;
    try {
      response = await sendNgcRequest(ctx, {
        url,
        method: 'GET',
        context,
        key,
        body: 'json',
        ...(signal ? { signal } : {}),
        ...(gate ? { gate } : {}),
      });
    } catch (error) {
      if (error instanceof NgcRequestError) {
        return { kind: 'failed', reason: error.message, attempts: error.attempts };
      }
      throw error;
    }
    if (response.kind === 'status') {
      switch (response.status) {
        case 401:
        case 403:
          return { kind: 'unauthorized', status: response.status };
        case 404:
          return { kind: 'not-found' };
        case 451:
          return { kind: 'eu-restricted' };
        default:
          return {
            kind: 'failed',
            reason: `NGC ${context} answered HTTP ${response.status}`,
            attempts: response.attempts,
          };
      }
    }
    const namespace = id.team === undefined ? id.org : `${id.org}/${id.team}`;
    const parsed = parseModelDetails(response.json, {
      resourceId,
      name: id.name,
      namespace,
      ...(catalog ? { catalog } : {}),
    });
    if ('error' in parsed) {
      return {
        kind: 'failed',
        reason: `NGC ${context} returned an unusable response: ${parsed.error}`,
        attempts: response.attempts,
      };
    }
    return { kind: 'ok', details: parsed.details };
  }

  async function fetchAllModelDetails(
    run: FetchAllModelDetailsOptions,
  ): Promise<ModelDetailsResult[]> {
    const key = requirePersonalKey(run.key);
    const gate = new AdaptiveConcurrency({
      max: settings.concurrency,
      initial: settings.initialConcurrency,
      maxPauseMs: settings.maxRetryAfterMs,
      sleep: ctx.sleep,
    });
    // Aborts calls in flight once the key is known to be bad, or when the caller aborts.
    const stop = new AbortController();
    const signal = run.signal ? AbortSignal.any([run.signal, stop.signal]) : stop.signal;
    // Every queued model and every attempt in flight listens for the abort: not a leak.
    setMaxListeners(run.models.length + settings.concurrency + 1, signal);
    let unauthorized: NgcUnauthorizedError | undefined;
    let done = 0;
    const total = run.models.length;

    // Every model waits for a slot of the gate; after a 401 the abort empties its queue.
    const tasks = run.models.map(async (model): Promise<ModelDetailsResult | undefined> => {
      if (unauthorized || signal.aborted) return undefined;
      const resourceId = typeof model === 'string' ? model : model.resourceId;
      let outcome: ModelDetailsOutcome;
      try {
        outcome = await fetchDetails(model, key, signal, gate);
      } catch (error) {
        if (error instanceof NgcAbortedError && unauthorized) return undefined;
        throw error;
      }
      if (outcome.kind === 'unauthorized') {
        unauthorized ??= new NgcUnauthorizedError(outcome.status, `model details of ${resourceId}`);
        stop.abort();
        return undefined;
      }
      done += 1;
      run.onProgress?.({ done, total, resourceId, outcome, concurrency: gate.stats() });
      return { resourceId, outcome };
    });
    const settled = await Promise.allSettled(tasks);
    if (unauthorized) throw unauthorized;
    if (run.signal?.aborted) throw new NgcAbortedError('model details');
    const results: ModelDetailsResult[] = [];
    for (const result of settled) {
      if (result.status === 'rejected') throw result.reason;
      if (result.value) results.push(result.value);
    }
    return results;
  }

  async function validateKey(
    rawKey: string,
    call: NgcCallOptions = {},
  ): Promise<KeyValidationResult> {
    const problem = describeKeyProblem(rawKey);
    if (problem !== undefined) {
      const error = new NgcNonPersonalKeyError(problem);
      return { kind: 'not-personal', message: error.message, suggestion: error.suggestion };
    }
    const key = rawKey.trim();
    const context = 'key validation';
    let response: NgcResponse;
    try {
      response = await sendNgcRequest(ctx, {
        url: new URL('v3/keys/get-caller-info', keyBaseUrl),
        method: 'POST',
        context,
        key,
        form: { credentials: key },
        body: 'ignore',
        ...signalOf(call),
      });
    } catch (error) {
      if (error instanceof NgcRequestError) {
        return { kind: 'unreachable', message: error.message, attempts: error.attempts };
      }
      throw error;
    }
    if (response.kind === 'ok') return { kind: 'valid', keyType: readKeyType(response.json) };
    const { status } = response;
    if (status === 400 || status === 401 || status === 403) {
      return {
        kind: 'invalid',
        status,
        message: `NGC rejected the key (HTTP ${status}). Check that it is current and copied completely.`,
      };
    }
    return { kind: 'failed', status, message: `NGC ${context} answered HTTP ${status}.` };
  }

  return { listCatalog, getModelDetails, fetchAllModelDetails, validateKey };
}

/** Trims the key and throws {@link NgcNonPersonalKeyError} unless it is a personal key. */
function requirePersonalKey(rawKey: string): string {
  const problem = describeKeyProblem(rawKey);
  if (problem !== undefined) throw new NgcNonPersonalKeyError(problem);
  return rawKey.trim();
}

function expectOk(response: NgcResponse, context: string): Extract<NgcResponse, { kind: 'ok' }> {
  if (response.kind === 'status') throw new NgcUnexpectedStatusError(response.status, context);
  return response;
}

function readKeyType(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || !('type' in json)) return undefined;
  return typeof json.type === 'string' ? json.type : undefined;
}

function signalOf(call: NgcCallOptions): { signal?: AbortSignal } {
  return call.signal ? { signal: call.signal } : {};
}

function withTrailingSlash(base: string | URL): URL {
  // Relative paths then keep a base path prefix, e.g. a mirror at https://proxy/ngc/.
  const url = new URL(base);
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}

function assertSettings(
  settings: Record<
    'retries' | 'concurrency' | 'initialConcurrency' | 'pageSize' | 'maxPages' | 'timeoutMs',
    number
  >,
): void {
  const checks: [string, number, number][] = [
    ['retries', settings.retries, 0],
    ['concurrency', settings.concurrency, 1],
    ['initialConcurrency', settings.initialConcurrency, 1],
    ['pageSize', settings.pageSize, 1],
    ['maxPages', settings.maxPages, 1],
    ['timeoutMs', settings.timeoutMs, 1],
  ];
  for (const [name, value, min] of checks) {
    // Programming errors, not NGC failures: a plain RangeError names the bad option.
    if (!Number.isInteger(value) || value < min) {
      throw new RangeError(`NGC client option ${name} must be an integer >= ${min}, got ${value}`);
    }
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
