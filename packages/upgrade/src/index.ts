export { getApplicationsNamespace, type ResolvedNamespace } from './applications-namespace.js';
export {
  applyCatalog,
  formatApplyCatalogReport,
  type ApplyCatalogOptions,
  type ApplyCatalogReport,
  type CatalogStatus,
} from './catalog/apply-catalog.js';
export { cleanup, type CleanupOptions } from './cleanup/cleanup.js';
export { executePlan, type ActionResult, type ExecuteOptions } from './cleanup/execute.js';
export { readNimIntent, type NimIntent } from './cleanup/nim-intent.js';
export type { StoredFields } from './cleanup/verify.js';
export {
  planCleanup,
  type CleanupAction,
  type CleanupPlan,
  type DashboardSettings,
  type KeptObject,
  type PlanOptions,
} from './cleanup/plan.js';
export {
  buildCleanupReport,
  formatCleanupReport,
  type CleanupReport,
  type CleanupReportEntry,
  type EntryStatus,
} from './cleanup/report.js';
export {
  readCleanupSnapshot,
  type CleanupSnapshot,
  type NamespaceObjects,
} from './cleanup/snapshot.js';
export { EXIT_CODES, run, type CliDependencies } from './cli.js';
export { UpgradeError, isUpgradeError, type UpgradeErrorCode } from './errors.js';
export type { CliIo, OutputStream } from './io.js';
export {
  createResourceClient,
  type ObjectRef,
  type ResourceClient,
  type ResourceKind,
} from './k8s/resource-client.js';
export type { RetryPolicy } from './k8s/retry.js';
export type { UpgradeLogger } from './logger.js';
