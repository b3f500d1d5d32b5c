import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import YAML from 'yaml';

import {
  buildModelsConfigMap,
  ContractError,
  configMapDataBytes,
  formatBytes,
  getCatalogDigest,
  MAX_CONFIGMAP_DATA_BYTES,
  parseModelsConfigMap,
  serializeModelsConfigMap,
  type ModelsConfigMap,
  type ParsedCatalog,
} from '@odh-nim/contract';
import type { ConcurrencyStats } from '@odh-nim/ngc';

import { writeFileAtomic } from '../atomic-write.js';
import { resolveCatalog, type ModelIssue, type ResolvedCatalog } from '../catalog-resolution.js';
import type { CommandContext } from '../context.js';
import { checkModelDrop } from '../drop-guard.js';
import { describeError, EXIT_CODES, MetadataCliError } from '../errors.js';
import { parseEuList, type EuListEntry } from '../eu-list.js';
import type { CliLogger } from '../io.js';
import { fetchCatalogDetails, formatConcurrency, type NgcSessionFlags } from '../ngc-session.js';
import { displayPath, resolveOutputPath } from '../repo-root.js';

/** Flags of `generate`, as commander parses them. */
export interface GenerateFlags extends NgcSessionFlags {
  output?: string;
  namespace?: string;
  euList?: string;
  maxDrop: number;
  allowDrop?: boolean;
  allowFailures?: boolean;
  verbose?: boolean;
}

/** How many failed or skipped models a summary lists before "… and N more". */
const LIST_LIMIT = 20;

/**
 * `generate`: key, EU list and existing output are read and checked first, then the key is
 * validated, the catalog listed and every model's details fetched; the ConfigMap is written
 * atomically only when every guard passes. Returns the exit code; throws
 * {@link MetadataCliError} for refusals.
 */
export async function runGenerate(flags: GenerateFlags, ctx: CommandContext): Promise<number> {
  const logger = ctx.createLogger(flags.verbose ?? false);
  const outputPath = await resolveOutputPath(flags.output, ctx.cwd);
  const shownPath = displayPath(outputPath, ctx.cwd);
  const euList = flags.euList === undefined ? [] : await readEuList(flags.euList, ctx.cwd);
  const existing = await readExisting(outputPath, shownPath);
  logger.info(`output ${shownPath}`);
  const { baseUrl, listing, results, concurrency } = await fetchCatalogDetails({
    flags,
    ctx,
    logger,
    progressLabel: 'Fetching model details',
  });
  const resolved = resolveCatalog({ listing, results, euList });
  for (const id of resolved.euListUnmatched) {
    logger.warn(`EU list entry ${id} is not in the NGC catalog; ignored`);
  }

  if (resolved.failed.length > 0 && !flags.allowFailures) {
    ctx.stdout.write(formatSummary({ resolved, pages: listing.pages, concurrency }));
    throw new MetadataCliError(
      'model-failures',
      `${resolved.failed.length} model(s) failed after retries; nothing was written.`,
      { suggestion: 'Retry later, or pass --allow-failures to write the catalog without them.' },
    );
  }
  if (resolved.models.length === 0) {
    ctx.stdout.write(formatSummary({ resolved, pages: listing.pages, concurrency }));
    throw new MetadataCliError(
      'no-models',
      `NGC resolved no models (the catalog search listed ${listing.entries.length}); nothing ` +
        'was written.',
      { suggestion: `Check --base-url (${baseUrl}) and that the NGC catalog is reachable.` },
    );
  }
  const configMap = await buildConfigMap(resolved, flags.namespace);
  const content = serializeModelsConfigMap(configMap);
  guardDrop({ existing, next: resolved.models.map((m) => m.name), flags, shownPath, logger });

  ctx.stdout.write(formatSummary({ resolved, pages: listing.pages, concurrency }));
  const bytes = configMapDataBytes(configMap.data);
  const size = `${formatBytes(bytes)} of ${formatBytes(MAX_CONFIGMAP_DATA_BYTES)}`;
  if (existing?.text === content) {
    ctx.stdout.write(`Unchanged: ${shownPath} (${resolved.models.length} models, ${size}).\n`);
    return EXIT_CODES.ok;
  }
  try {
    await writeFileAtomic(outputPath, content);
  } catch (error) {
    throw new MetadataCliError('io', `Cannot write ${shownPath}: ${describeError(error)}`, {
      cause: error,
      suggestion: 'Check that the directory exists and is writable; the old file is untouched.',
    });
  }
  ctx.stdout.write(
    `Wrote ${shownPath}: ${resolved.models.length} models, ${size}, ` +
      `${getCatalogDigest(configMap) ?? ''}.\n`,
  );
  return EXIT_CODES.ok;
}

interface ExistingOutput {
  text: string;
  /** Model names in the file (valid or not), or `undefined` when it is not a catalog. */
  names: string[] | undefined;
}

async function readExisting(path: string, shown: string): Promise<ExistingOutput | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MetadataCliError('io', `Cannot read the existing ${shown}: ${describeError(error)}`, {
      cause: error,
    });
  }
  // Only a ConfigMap with data counts: a stray YAML file at the path is not an empty catalog.
  let parsed: ParsedCatalog;
  try {
    const raw: unknown = YAML.parse(text, { uniqueKeys: false });
    if (!isRecord(raw) || raw.kind !== 'ConfigMap' || !isRecord(raw.data)) {
      return { text, names: undefined };
    }
    parsed = parseModelsConfigMap(raw);
  } catch {
    return { text, names: undefined };
  }
  return {
    text,
    names: [...parsed.models.map((m) => m.name), ...parsed.problems.map((p) => p.key)],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function guardDrop(options: {
  existing: ExistingOutput | undefined;
  next: string[];
  flags: GenerateFlags;
  shownPath: string;
  logger: CliLogger;
}): void {
  const { existing, next, flags, shownPath, logger } = options;
  if (!existing) return;
  if (existing.names === undefined) {
    if (flags.allowDrop) {
      logger.warn(`${shownPath} is not a models catalog; replacing it (--allow-drop)`);
      return;
    }
    throw new MetadataCliError(
      'drop-guard',
      `The existing ${shownPath} is not a models catalog, so what this run would drop is unknown; ` +
        'nothing was written.',
      { suggestion: 'Check the --output path, or pass --allow-drop to replace the file.' },
    );
  }
  const drop = checkModelDrop({ previous: existing.names, next, maxDropShare: flags.maxDrop });
  if (!drop.exceeds) return;
  const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;
  const message =
    `This run would drop ${drop.dropped.length} of the ${drop.previous} models in ${shownPath} ` +
    `(${percent(drop.share)}, over --max-drop ${percent(flags.maxDrop)}): ` +
    listSome(drop.dropped);
  if (flags.allowDrop) {
    logger.warn(`${message} (writing anyway: --allow-drop)`);
    return;
  }
  throw new MetadataCliError('drop-guard', `${message}. Nothing was written.`, {
    suggestion:
      'If NGC really removed them, rerun with --allow-drop (or a larger --max-drop); otherwise ' +
      'retry later.',
  });
}

async function buildConfigMap(
  resolved: ResolvedCatalog,
  namespace: string | undefined,
): Promise<ModelsConfigMap> {
  try {
    return await buildModelsConfigMap(resolved.models, namespace ? { namespace } : {});
  } catch (error) {
    if (error instanceof ContractError && error.code === 'configmap-too-large') {
      throw new MetadataCliError('too-large', `${error.message} Nothing was written.`, {
        cause: error,
        suggestion:
          'A ConfigMap cannot hold more than 1 MiB; trim long descriptions upstream or split the ' +
          'catalog.',
      });
    }
    throw error;
  }
}

async function readEuList(file: string, cwd: string): Promise<EuListEntry[]> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new MetadataCliError('io', `Cannot read the EU list ${file}: ${describeError(error)}`, {
      cause: error,
    });
  }
  return parseEuList(text, file);
}

/** The run's summary: counts, how wide the fetch went, then skipped and failed models. */
export function formatSummary(summary: {
  resolved: ResolvedCatalog;
  pages: number;
  concurrency: ConcurrencyStats | undefined;
}): string {
  const { resolved, pages } = summary;
  const eu = new Set([...resolved.euRestrictedByList, ...resolved.euRestrictedByProbe]);
  const lines = [
    `Resolved ${resolved.models.length} models from ${pages} catalog page(s); ` +
      `${eu.size} EU-restricted (${resolved.euRestrictedByList.length} from the EU list, ` +
      `${resolved.euRestrictedByProbe.length} answered 451).`,
    formatConcurrency(summary.concurrency),
  ];
  if (resolved.euRestrictedByProbe.length > 0) {
    lines.push(
      `  Models that answered 451 carry catalog data only (tags: just latestTag): ` +
        listSome(resolved.euRestrictedByProbe),
    );
  }
  lines.push(...issueLines('Skipped', resolved.skipped), ...issueLines('Failed', resolved.failed));
  return `${lines.join('\n')}\n`;
}

function issueLines(label: string, issues: readonly ModelIssue[]): string[] {
  if (issues.length === 0) return [`${label}: 0.`];
  const lines = [`${label}: ${issues.length}:`];
  for (const issue of issues.slice(0, LIST_LIMIT))
    lines.push(`  ${issue.resourceId}: ${issue.reason}`);
  if (issues.length > LIST_LIMIT) lines.push(`  … and ${issues.length - LIST_LIMIT} more`);
  return lines;
}

function listSome(names: readonly string[]): string {
  const shown = names.slice(0, LIST_LIMIT).join(', ');
  return names.length > LIST_LIMIT ? `${shown}, … and ${names.length - LIST_LIMIT} more` : shown;
}
