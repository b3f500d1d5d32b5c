/**
 * Typed, resilient client of the NVIDIA NGC endpoints the NIM integration uses (SPEC §3.2):
 * catalog search, model details and tags, and personal-key validation.
 */
export { NGC_API_BASE_URL, NIM_CATALOG_QUERY } from './defaults.js';
export {
  createNgcClient,
  NGC_CLIENT_DEFAULTS,
  type CatalogListing,
  type FetchAllModelDetailsOptions,
  type KeyValidationResult,
  type ModelDetailsOutcome,
  type ModelDetailsResult,
  type NgcCallOptions,
  type NgcClient,
  type NgcClientOptions,
  type NgcProgress,
  type NgcProgressCallback,
} from './client.js';
export {
  ADAPTIVE_CONCURRENCY_DEFAULTS,
  AdaptiveConcurrency,
  type AdaptiveConcurrencyOptions,
  type ConcurrencyGate,
  type ConcurrencyPermit,
  type ConcurrencyStats,
  type LoadSignal,
} from './adaptive-concurrency.js';
export {
  createKeepAliveTransport,
  type KeepAliveTransport,
  type KeepAliveTransportOptions,
} from './keep-alive-transport.js';
export {
  fetchTransport,
  type HttpAnswer,
  type HttpExchange,
  type HttpTransport,
} from './transport.js';
export {
  CATALOG_CONTAINER_GROUP,
  buildCatalogQuery,
  catalogSearchResponseSchema,
  parseCatalogPage,
  parseResourceId,
  type CatalogEntry,
  type CatalogPage,
  type CatalogSkip,
} from './catalog.js';
export {
  modelDetailsResponseSchema,
  parseModelDetails,
  type ModelDetails,
} from './model-details.js';
export {
  DEFAULT_RETRY_POLICY,
  computeBackoffDelay,
  computeRetryDelay,
  parseRetryAfter,
  type RetryPolicy,
} from './backoff.js';
export {
  NgcAbortedError,
  NgcError,
  NgcInvalidResponseError,
  NgcNonPersonalKeyError,
  NgcRequestError,
  NgcUnauthorizedError,
  NgcUnexpectedStatusError,
  isNgcError,
  type NgcErrorCode,
  type NgcErrorOptions,
} from './errors.js';
export { defaultSleep, type NgcLogger, type SleepFn } from './http.js';
