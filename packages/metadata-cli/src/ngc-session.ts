import {
  createNgcClient,
  isNgcError,
  NGC_API_BASE_URL,
  NgcUnauthorizedError,
  type CatalogEntry,
  type CatalogListing,
  type ConcurrencyStats,
  type ModelDetailsResult,
  type NgcClient,
} from '@odh-nim/ngc';

import type { CommandContext } from './context.js';
import { MetadataCliError } from './errors.js';
import { readApiKey } from './key-source.js';
import { toNgcLogger, type CliIo, type CliLogger } from './io.js';
import { NGC_BASE_URL_ENV } from './options.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';

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
  /** How wide the details fetch went; `undefined` when there was nothing to fetch. */
  concurrency: ConcurrencyStats | undefined;
}

/**
 * The NGC part `generate` and `detect-eu` share: read the key (registered as a secret for
 * redaction), validate it while listing the catalog (which takes no key), then fetch every
 * model's details with progress. No request carries the key before NGC has accepted it.
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
  logger.info(`validating the key with ${baseUrl} while listing the catalog`);
  const listing = await validateWhileListing(client, key, baseUrl);
  logger.info(
    `catalog: ${listing.entries.length} models with a latestTag on ${listing.pages} page(s), ` +
      `${listing.skipped.length} skipped`,
  );
  const progress = createRunProgress(ctx.io, ctx.stderr, options.progressLabel);
  ctx.setProgress(progress);
  try {
    const { results, concurrency } = await fetchDetailsWithProgress({
      client,
      key,
      models: listing.entries,
      progress,
    });
    return { baseUrl, listing, results, concurrency };
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

/**
 * Validates the key and lists the catalog in one round trip: the search needs no key, so it
 * runs alongside. A rejected key wins over a catalog failure, and stops the listing.
 */
export async function validateWhileListing(
  client: NgcClient,
  key: string,
  baseUrl: string,
): Promise<CatalogListing> {
  const stop = new AbortController();
  const listing = listCatalogOrThrow(client, stop.signal);
  // Awaited below once the key is known good; until then a failure must not go unhandled.
  listing.catch(() => undefined);
  try {
    await validateKeyOrThrow(client, key, baseUrl);
  } catch (error) {
    stop.abort();
    throw error;
  }
  return listing;
}

/** Lists the catalog; NGC failures become {@link MetadataCliError}s. */
export async function listCatalogOrThrow(
  client: NgcClient,
  signal?: AbortSignal,
): Promise<CatalogListing> {
  try {
    return await client.listCatalog(signal ? { signal } : {});
  } catch (error) {
    throw toCliError(error, 'listing the NGC catalog');
  }
}

/**
 * Fetches every model's details with the client's adaptive concurrency, drawing progress and
 * the live width on stderr. A key rejected mid-run stops everything and throws (`key-rejected`).
 */
export async function fetchDetailsWithProgress(options: {
  client: NgcClient;
  key: string;
  models: readonly CatalogEntry[];
  progress: ProgressReporter;
}): Promise<{ results: ModelDetailsResult[]; concurrency: ConcurrencyStats | undefined }> {
  const { client, key, models, progress } = options;
  let concurrency: ConcurrencyStats | undefined;
  progress.update(0, models.length);
  try {
    const results = await client.fetchAllModelDetails({
      key,
      models,
      onProgress: (step) => {
        concurrency = step.concurrency;
        progress.update(step.done, step.total, `width ${step.concurrency.width}`);
      },
    });
    return { results, concurrency };
  } catch (error) {
    throw toCliError(error, 'fetching model details');
  } finally {
    progress.finish();
  }
}

/** One line on how wide a details fetch went, for a run's summary. */
export function formatConcurrency(stats: ConcurrencyStats | undefined): string {
  if (!stats) return 'No model details to fetch.';
  const throttled = stats.overloaded === 1 ? '1 answer' : `${stats.overloaded} answers`;
  return (
    `Fetched model details at up to ${stats.peakWidth} in flight (adaptive, cap ` +
    `${stats.maxWidth}; ended at ${stats.width}); ${throttled} 429, 5xx or timed out.`
  );
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
