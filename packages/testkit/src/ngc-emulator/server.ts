import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

import type { ModelEntry } from '@odh-nim/contract';

import { FaultBook, type NgcFault, type NgcFaultRule, type NgcRoute } from './faults.js';
import { retryAfterSeconds, TokenBucket, type RateLimit } from './rate-limit.js';
import { loadCatalogFile, loadReferenceCatalog } from './reference-data.js';
import {
  buildCallerInfoResponse,
  buildCatalogSearchResponse,
  buildErrorResponse,
  buildModelDetailsResponse,
  loadNgcTemplates,
  resourceIdOf,
  type NgcTemplates,
} from './responses.js';

/**
 * The one key the emulator accepts by default. Obviously fake, and shorter than a real personal
 * key so no secret scanner or reviewer mistakes it for one.
 */
export const EMULATOR_VALID_KEY = 'nvapi-emulator-0000000000000000';

/** Page size the catalog search applies when the query names none. */
export const EMULATOR_DEFAULT_PAGE_SIZE = 25;

/** Options of {@link startNgcEmulator}; every one has a default. */
export interface NgcEmulatorOptions {
  /** Models served. Default: `catalogPath`, else the reference catalog. */
  catalog?: readonly ModelEntry[];
  /** A models ConfigMap YAML to serve (parsed strictly). Ignored when `catalog` is given. */
  catalogPath?: string;
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** Port. Default 0 (any free port). */
  port?: number;
  /** Keys accepted as bearer or `credentials`. Default `[EMULATOR_VALID_KEY]`. */
  validKeys?: readonly string[];
  /** Models (name or `org/team/name`) whose details answer 451, as seen from the EU. */
  euRestricted?: readonly string[];
  /** Models (name or `org/team/name`) listed in the catalog without a `latestTag` attribute. */
  withoutLatestTag?: readonly string[];
  /** Largest catalog page size the server honours; larger requests are capped. Default 1000. */
  maxPageSize?: number;
  /** Initial fault rules. Default none. */
  faults?: readonly NgcFaultRule[];
  /** Randomness for random latency. Default `Math.random`. */
  random?: () => number;
  /**
   * A token-bucket limit on every request. One past it gets 429 with `Retry-After` at once,
   * before any fault or latency, as from a gateway in front of NGC. Default none.
   */
  rateLimit?: RateLimit;
  /** Serve HTTPS with this certificate (see `createEmulatorTls`). Default plain HTTP. */
  tls?: { certPem: string; keyPem: string };
}

/** One request the emulator received. Holds no header values and no body (the key is there). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Endpoint matched, or `undefined` for an unknown path. */
  route: NgcRoute | undefined;
  /** `org/team/name` of a details request. */
  model: string | undefined;
  /** Whether an `Authorization` header was sent (its value is never stored). */
  hasAuthorization: boolean;
  /** Fault that replaced the answer, if any; `rate-limit` for a 429 of the rate limit. */
  fault: NgcFault['type'] | 'rate-limit' | undefined;
  /** When it arrived, in ms on `performance.now()`'s clock. */
  receivedAtMs: number;
  /** Status sent; `undefined` while pending, for a hang or a truncated body. */
  status: number | undefined;
}

/** A running emulator. */
export interface NgcEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`, to use as the client's base URL. */
  url: string;
  /** Every request so far, oldest first; `reset()` empties this same array. */
  requests: RecordedRequest[];
  /** The catalog served. */
  catalog: readonly ModelEntry[];
  /** Requests being handled now, and the most at once since start or `reset()`. */
  stats: { inFlight: number; maxInFlight: number };
  /** Replaces every fault rule (and its count). */
  setFaults(rules: readonly NgcFaultRule[]): void;
  /** Appends one fault rule. */
  addFault(rule: NgcFaultRule): void;
  /** Changes the catalog page-size cap; `undefined` restores the start option. */
  setMaxPageSize(size: number | undefined): void;
  /** Sets (with a full bucket) or, with `undefined`, removes the rate limit. */
  setRateLimit(limit: RateLimit | undefined): void;
  /** Clears faults, recorded requests and stats, and restores the page-size cap and rate limit. */
  reset(): void;
  /** Closes the server, including hung and keep-alive connections. Idempotent. */
  stop(): Promise<void>;
}

const DETAILS_PATH = /^\/v2\/org\/([^/]+)(?:\/team\/([^/]+))?\/repos\/([^/]+)$/;
const CATALOG_PATH = '/v2/search/catalog/resources/CONTAINER';
const KEY_VALIDATION_PATH = '/v3/keys/get-caller-info';
const MAX_BODY_BYTES = 64 * 1024;

const MALFORMED_BODY =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>' +
  '<body><h1>502 Bad Gateway</h1></body></html>';

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/**
 * Starts an NGC emulator on 127.0.0.1: catalog search, model details and key validation with
 * the real response shapes (the captures are the templates), plus injectable faults.
 */
export async function startNgcEmulator(options: NgcEmulatorOptions = {}): Promise<NgcEmulator> {
  const catalog: readonly ModelEntry[] =
    options.catalog ??
    (options.catalogPath
      ? await loadCatalogFile(options.catalogPath)
      : await loadReferenceCatalog());
  const templates = await loadNgcTemplates();
  const byResourceId = new Map(catalog.map((entry) => [resourceIdOf(entry), entry]));
  const validKeys = new Set(options.validKeys ?? [EMULATOR_VALID_KEY]);
  const euRestricted = new Set(options.euRestricted ?? []);
  const withoutLatestTag = new Set(options.withoutLatestTag ?? []);
  const initialMaxPageSize = options.maxPageSize ?? 1000;
  let maxPageSize = initialMaxPageSize;
  const faults = new FaultBook(options.random);
  faults.set(options.faults ?? []);
  const requests: RecordedRequest[] = [];
  const stats = { inFlight: 0, maxInFlight: 0 };
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const bucketOf = (limit: RateLimit | undefined): TokenBucket | undefined =>
    limit === undefined ? undefined : new TokenBucket(limit);

  const state: HandlerState = {
    catalog,
    byResourceId,
    templates,
    validKeys,
    euRestricted,
    withoutLatestTag,
    maxPageSize: () => maxPageSize,
    faults,
    rateLimit: bucketOf(options.rateLimit),
    delay: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      route: undefined,
      model: undefined,
      hasAuthorization: req.headers.authorization !== undefined,
      fault: undefined,
      status: undefined,
      receivedAtMs: performance.now(),
    };
    requests.push(record);
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let counted = true;
    const done = (): void => {
      if (!counted) return;
      counted = false;
      stats.inFlight -= 1;
    };
    res.on('close', done);
    handle(state, req, res, record).catch(() => {
      if (!res.headersSent && !stopped)
        send(res, record, 500, buildErrorResponse('ERROR', 'emulator'));
    });
  };
  const server = options.tls
    ? createTlsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, onRequest)
    : createServer(onRequest);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let stopping: Promise<void> | undefined;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${address.port}`,
    requests,
    catalog,
    stats,
    setFaults: (rules) => faults.set(rules),
    addFault: (rule) => faults.add(rule),
    setMaxPageSize: (size) => {
      maxPageSize = size ?? initialMaxPageSize;
    },
    setRateLimit: (limit) => {
      state.rateLimit = bucketOf(limit);
    },
    reset: () => {
      faults.set([]);
      requests.length = 0;
      stats.maxInFlight = stats.inFlight;
      maxPageSize = initialMaxPageSize;
      state.rateLimit = bucketOf(options.rateLimit);
    },
    stop: () => {
      stopping ??= new Promise<void>((resolve, reject) => {
        stopped = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung requests never end by themselves; close() alone would wait for them forever.
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

interface HandlerState {
  catalog: readonly ModelEntry[];
  byResourceId: ReadonlyMap<string, ModelEntry>;
  templates: NgcTemplates;
  validKeys: ReadonlySet<string>;
  euRestricted: ReadonlySet<string>;
  withoutLatestTag: ReadonlySet<string>;
  maxPageSize: () => number;
  faults: FaultBook;
  rateLimit: TokenBucket | undefined;
  delay: (ms: number) => Promise<void>;
}

async function handle(
  state: HandlerState,
  req: IncomingMessage,
  res: ServerResponse,
  record: RecordedRequest,
): Promise<void> {
  const body = await readBody(req);
  const path = record.path;
  const details = DETAILS_PATH.exec(path);
  const route: NgcRoute | undefined =
    path === CATALOG_PATH
      ? 'catalog'
      : path === KEY_VALIDATION_PATH
        ? 'key-validation'
        : details
          ? 'details'
          : undefined;
  record.route = route;
  if (route === undefined) {
    send(res, record, 404, buildErrorResponse('NOT_FOUND', `No route for ${path}`));
    return;
  }
  const expectedMethod = route === 'key-validation' ? 'POST' : 'GET';
  if (record.method !== expectedMethod) {
    send(res, record, 405, buildErrorResponse('METHOD_NOT_ALLOWED', `Use ${expectedMethod}`));
    return;
  }

  let entry: ModelEntry | undefined;
  if (details) {
    const [, org = '', team, name = ''] = details.map((part) => part && decodeURIComponent(part));
    record.model = team === undefined ? `${org}/${name}` : `${org}/${team}/${name}`;
    entry = state.byResourceId.get(record.model);
  }

  const decision = state.rateLimit?.take();
  if (decision && !decision.allowed) {
    record.fault = 'rate-limit';
    const headers = { 'Retry-After': String(retryAfterSeconds(decision.retryAfterMs)) };
    send(res, record, 429, buildErrorResponse('TOO_MANY_REQUESTS', 'Rate limit exceeded'), headers);
    return;
  }
  const plan = state.faults.take({
    route,
    ...(record.model === undefined ? {} : { resourceId: record.model }),
    ...(details ? { name: record.model?.split('/').at(-1) } : {}),
  });
  if (plan.delayMs > 0) await state.delay(plan.delayMs);
  if (res.destroyed) return;
  if (plan.fault) {
    record.fault = plan.fault.type;
    applyFault(res, record, plan.fault, () => normalAnswer(state, req, body, record, entry));
    return;
  }
  const answer = normalAnswer(state, req, body, record, entry);
  send(res, record, answer.status, answer.json);
}

interface Answer {
  status: number;
  /** `undefined` for an empty body (451). */
  json: unknown;
}

function normalAnswer(
  state: HandlerState,
  req: IncomingMessage,
  body: string,
  record: RecordedRequest,
  entry: ModelEntry | undefined,
): Answer {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  switch (record.route) {
    case 'catalog':
      return catalogAnswer(state, record.query.q);
    case 'details': {
      if (bearer === undefined || !state.validKeys.has(bearer)) {
        return { status: 401, json: buildErrorResponse('UNAUTHORIZED', 'Invalid credentials') };
      }
      if (!entry) {
        return { status: 404, json: buildErrorResponse('NOT_FOUND', 'Repository not found') };
      }
      if (state.euRestricted.has(resourceIdOf(entry)) || state.euRestricted.has(entry.name)) {
        // As captured (model_tags_451.json): the status alone, empty body.
        return { status: 451, json: undefined };
      }
      return { status: 200, json: buildModelDetailsResponse(state.templates.modelTags, entry) };
    }
    case 'key-validation': {
      const key = new URLSearchParams(body).get('credentials') ?? bearer;
      if (key === undefined || !state.validKeys.has(key)) {
        return { status: 401, json: buildErrorResponse('UNAUTHORIZED', 'Invalid credentials') };
      }
      return { status: 200, json: buildCallerInfoResponse(state.templates.keyValidation) };
    }
    default:
      return { status: 404, json: buildErrorResponse('NOT_FOUND', 'No such route') };
  }
}

function catalogAnswer(state: HandlerState, q: string | undefined): Answer {
  let params: unknown = {};
  try {
    if (q !== undefined) params = JSON.parse(q);
  } catch {
    return { status: 400, json: buildErrorResponse('BAD_REQUEST', 'q is not valid JSON') };
  }
  const record = typeof params === 'object' && params !== null ? params : {};
  const page = 'page' in record ? record.page : 0;
  const requestedSize = 'pageSize' in record ? record.pageSize : EMULATOR_DEFAULT_PAGE_SIZE;
  const query = 'query' in record && typeof record.query === 'string' ? record.query : '*:*';
  if (!isNonNegativeInt(page) || !isNonNegativeInt(requestedSize) || requestedSize === 0) {
    return { status: 400, json: buildErrorResponse('BAD_REQUEST', 'bad page or pageSize') };
  }
  // The real search filters by org; honour `orgName:x` so a wrong query finds nothing.
  const org = /orgName:(\S+)/.exec(query)?.[1];
  const entries =
    org === undefined
      ? state.catalog
      : state.catalog.filter((entry) => entry.namespace.split('/')[0] === org);
  const json = buildCatalogSearchResponse(state.templates.catalogSearch, {
    entries,
    page,
    pageSize: Math.min(requestedSize, state.maxPageSize()),
    withoutLatestTag: state.withoutLatestTag,
  });
  return { status: 200, json };
}

function applyFault(
  res: ServerResponse,
  record: RecordedRequest,
  fault: Exclude<NgcFault, { type: 'latency' }>,
  answer: () => Answer,
): void {
  switch (fault.type) {
    case 'hang':
      // Leave the request open; stop() destroys the socket.
      return;
    case 'status': {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
      const json =
        fault.status === 451
          ? undefined
          : buildErrorResponse(
              STATUS_CODES[fault.status] ?? 'ERROR',
              `Injected HTTP ${fault.status}`,
            );
      send(res, record, fault.status, json, headers);
      return;
    }
    case 'malformed-json':
      record.status = 200;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(MALFORMED_BODY);
      return;
    case 'truncated-json': {
      const full = Buffer.from(JSON.stringify(answer().json ?? {}));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': full.length });
      // Half the promised bytes, then a clean close: the client sees the body end early.
      res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.socket?.end());
      return;
    }
  }
}

function send(
  res: ServerResponse,
  record: RecordedRequest,
  status: number,
  json: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  record.status = status;
  if (json === undefined) {
    res.writeHead(status, { ...headers, 'Content-Length': 0 });
    res.end();
    return;
  }
  const body = JSON.stringify(json);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isNonNegativeInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
