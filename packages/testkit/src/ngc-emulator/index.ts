/** In-process emulator of the NGC endpoints NIM uses, for tests and local development. */
export {
  EMULATOR_DEFAULT_PAGE_SIZE,
  EMULATOR_VALID_KEY,
  startNgcEmulator,
  type NgcEmulator,
  type NgcEmulatorOptions,
  type RecordedRequest,
} from './server.js';
export { FaultBook, type NgcFault, type NgcFaultRule, type NgcRoute } from './faults.js';
export { retryAfterSeconds, TokenBucket, type RateDecision, type RateLimit } from './rate-limit.js';
export { createEmulatorTls, type EmulatorTls } from './tls.js';
export {
  ngcCapturePaths,
  loadCatalogFile,
  loadReferenceCatalog,
  loadReferenceEuRestricted,
  referenceCatalogPath,
  referenceEuRestrictedPath,
} from './reference-data.js';
export {
  buildCallerInfoResponse,
  buildCatalogResource,
  buildCatalogSearchResponse,
  buildModelDetailsResponse,
  loadNgcTemplates,
  paginate,
  resourceIdOf,
  type NgcTemplates,
} from './responses.js';
