import {
  createNgcClient,
  isNgcError,
  NGC_API_BASE_URL,
  NgcUnauthorizedError,
  type CatalogEntry,
  type CatalogListing,
  type ModelDetailsResult,
  type NgcClient,
} from '@odh-nim/ngc';

import type { CommandContext } from './context.js';
import { MetadataCliError } from './errors.js';
import { readApiKey } from './key-source.js';
import { toNgcLogger, type CliIo, type CliLogger } from './io.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';

/** Environment variable overriding the NGC API base URL (flag `--base-url` wins). */
export const NGC_BASE_URL_ENV = 'NGC_BASE_URL';

/** Default of `--concurrency`: model detail requests in flight at once. */
// 16 in flight reaches 10x the sequential fetch at NGC's ~100 ms per request (see
// bench/metadata.bench.ts); NGC's 429s, honoured with Retry-After, bound it from the other side.
export const DEFAULT_CONCURRENCY = 16;

/** Flags shared by the commands that talk to NGC. */
export interface NgcFlags {
  baseUrl?: string;
  concurrency: number;
  timeout?: number;
  retries?: number;
}

/** Flags of the commands that read a key and talk to NGC. */
export interface NgcSessionFlags extends NgcFlags {
  apiKeyFile?: string;
  apiKeyStdin?: boolean;
}

/** What one pass over the NGC catalog found. */
export interface CatalogDetails {
  baseUrl: string;
  listing: CatalogListing;
  results: ModelDetailsResult[];
}

/**
 * The NGC part `generate` and `detect-eu` share: read the key (registered as a secret for
 * redaction), validate it, list the catalog, then fetch every model's details with progress.
 */
export async function fetchCatalogDetails(options: {
  flags: NgcSessionFlags;
  ctx: CommandContext;
  logger: CliLogger;
  progressLabel: string;
}): Promise<CatalogDetails> {
  const { flags, ctx, logger } = options;
  const { key, description } = await readApiKey({
    file: flags.apiKeyFile,
    stdin: flags.apiKeyStdin,
    env: ctx.io.env,
    stdinStream: ctx.io.stdin,
    cwd: ctx.cwd,
  });
  ctx.addSecret(key);
  logger.info(`NGC key from ${description}`);
  const baseUrl = resolveBaseUrl(flags, ctx.io.env);
  const client = createSessionClient({ flags, io: ctx.io, baseUrl, logger });
  logger.info(`validating the key with ${baseUrl}`);
  await validateKeyOrThrow(client, key, baseUrl);
  const listing = await listCatalogOrThrow(client);
  logger.info(
    `catalog: ${listing.entries.length} models with a latestTag on ${listing.pages} page(s), ` +
      `${listing.skipped.length} skipped`,
  );
  const progress = createRunProgress(ctx.io, ctx.stderr, options.progressLabel);
  ctx.setProgress(progress);
  try {
    const results = await fetchDetailsWithProgress({
      client,
      key,
      models: listing.entries,
      progress,
    });
    return { baseUrl, listing, results };
  } finally {
    ctx.setProgress(undefined);
  }
}

/** Where NGC is: `--base-url`, then `$NGC_BASE_URL`, then the public API. */
export function resolveBaseUrl(flags: NgcFlags, env: CliIo['env']): string {
  const value = flags.baseUrl ?? env[NGC_BASE_URL_ENV] ?? NGC_API_BASE_URL;
  try {
    return new URL(value).toString();
  } catch (error) {
    throw new MetadataCliError('usage', `The NGC base URL "${value}" is not a URL.`, {
      cause: error,
      suggestion: `Pass --base-url https://… or set ${NGC_BASE_URL_ENV}.`,
    });
  }
}

/** The NGC client of a run: test overrides from `io`, then the flags. */
export function createSessionClient(options: {
  flags: NgcFlags;
  io: CliIo;
  baseUrl: string;
  logger: CliLogger;
}): NgcClient {
  const { flags, io, baseUrl, logger } = options;
  return createNgcClient({
    ...io.ngcClientOptions,
    baseUrl,
    concurrency: flags.concurrency,
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
    ...(flags.retries === undefined ? {} : { retries: flags.retries }),
    logger: toNgcLogger(logger),
  });
}

/** Checks the key with NGC before any other call; throws a {@link MetadataCliError} if unusable. */
export async function validateKeyOrThrow(
  client: NgcClient,
  key: string,
  baseUrl: string,
): Promise<void> {
  const result = await client.validateKey(key);
  switch (result.kind) {
    case 'valid':
      return;
    case 'not-personal':
      throw new MetadataCliError('key-invalid', result.message, {
        ...(result.suggestion ? { suggestion: result.suggestion } : {}),
      });
    case 'invalid':
      throw new MetadataCliError('key-rejected', result.message, {
        suggestion:
          'Create or copy a current personal key with NGC Catalog access; nothing was written.',
      });
    case 'unreachable':
      throw new MetadataCliError('ngc-unavailable', `Cannot validate the key: ${result.message}`, {
        suggestion: `Check the network and the NGC base URL (${baseUrl}); nothing was written.`,
      });
    case 'failed':
      throw new MetadataCliError('ngc-unavailable', `Cannot validate the key: ${result.message}`, {
        suggestion: `Check the NGC base URL (${baseUrl}); nothing was written.`,
      });
  }
}

/** Lists the catalog; NGC failures become {@link MetadataCliError}s. */
export async function listCatalogOrThrow(client: NgcClient): Promise<CatalogListing> {
  try {
    return await client.listCatalog();
  } catch (error) {
    throw toCliError(error, 'listing the NGC catalog');
  }
}

/**
 * Fetches every model's details with the client's bounded concurrency, drawing progress on
 * stderr. A key rejected mid-run stops everything and throws (`key-rejected`).
 */
export async function fetchDetailsWithProgress(options: {
  client: NgcClient;
  key: string;
  models: readonly CatalogEntry[];
  progress: ProgressReporter;
}): Promise<ModelDetailsResult[]> {
  const { client, key, models, progress } = options;
  progress.update(0, models.length);
  try {
    return await client.fetchAllModelDetails({
      key,
      models,
      onProgress: ({ done, total }) => progress.update(done, total),
    });
  } catch (error) {
    throw toCliError(error, 'fetching model details');
  } finally {
    progress.finish();
  }
}

/** A progress reporter for a run, on the run's stderr. */
export function createRunProgress(
  io: CliIo,
  stderr: CliIo['stderr'],
  label: string,
): ProgressReporter {
  return createProgressReporter({ stream: stderr, isTTY: io.isTTY ?? false, label });
}

/** Maps an NGC client error to a {@link MetadataCliError}; other errors pass through. */
export function toCliError(error: unknown, doing: string): unknown {
  if (error instanceof MetadataCliError) return error;
  if (error instanceof NgcUnauthorizedError) {
    return new MetadataCliError(
      'key-rejected',
      `${error.message} The run stopped; nothing was written.`,
      {
        cause: error,
        ...(error.suggestion ? { suggestion: error.suggestion } : {}),
      },
    );
  }
  if (isNgcError(error)) {
    return new MetadataCliError('ngc-unavailable', `NGC failed while ${doing}: ${error.message}`, {
      cause: error,
      suggestion: `${error.suggestion ?? 'Retry later.'} Nothing was written.`,
    });
  }
  return error;
}
