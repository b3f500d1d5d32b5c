/** `nim-metadata`: generate, check and compare the NIM models catalog ConfigMap (SPEC §2.1, §4). */
export { buildProgram, run } from './cli.js';
export { CommandContext } from './context.js';
export {
  EXIT_CODES,
  exitCodeOf,
  isMetadataCliError,
  MetadataCliError,
  type MetadataCliErrorCode,
  type MetadataCliErrorOptions,
} from './errors.js';
export {
  createCliLogger,
  SecretRedactor,
  type CliIo,
  type CliLogger,
  type OutputStream,
} from './io.js';
export { writeFileAtomic, type WriteFileAtomicOptions } from './atomic-write.js';
export {
  diffCatalogs,
  formatDiffJson,
  formatDiffMarkdown,
  formatDiffText,
  isEmptyDiff,
  type CatalogDiff,
  type ModelChange,
} from './catalog-diff.js';
export {
  formatValidation,
  validateCatalogText,
  type CatalogValidation,
  type ValidationFinding,
} from './catalog-validate.js';
export { resolveCatalog, type ModelIssue, type ResolvedCatalog } from './catalog-resolution.js';
export {
  checkModelDrop,
  DEFAULT_MAX_DROP_SHARE,
  parseDropShare,
  type ModelDrop,
} from './drop-guard.js';
export {
  buildEuList,
  buildEuListEntry,
  euListSchema,
  parseEuList,
  serializeEuList,
  type EuListEntry,
} from './eu-list.js';
export { readApiKey, type ApiKey, type ReadApiKeyOptions } from './key-source.js';
export { DEFAULT_CONCURRENCY, NGC_BASE_URL_ENV } from './options.js';
export { createProgressReporter, type ProgressReporter } from './progress.js';
export { DEFAULT_OUTPUT_PATH, findRepoRoot, resolveOutputPath } from './repo-root.js';
