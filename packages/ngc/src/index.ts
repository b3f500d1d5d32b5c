/**
 * Typed, resilient client of the NVIDIA NGC endpoints the NIM integration uses (SPEC §3.2):
 * catalog search, model details and tags, and personal-key validation.
 */
export {
  createNgcClient,
  NGC_API_BASE_URL,
  NGC_CLIENT_DEFAULTS,
  NIM_CATALOG_QUERY,
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
