import { writeFileAtomic } from '../atomic-write.js';
import type { CommandContext } from '../context.js';
import { describeError, EXIT_CODES, MetadataCliError } from '../errors.js';
import { buildEuList, buildEuListEntry, serializeEuList, type EuListEntry } from '../eu-list.js';
import { fetchCatalogDetails, formatConcurrency, type NgcSessionFlags } from '../ngc-session.js';
import { displayPath } from '../repo-root.js';

/** Flags of `detect-eu`, as commander parses them. */
export interface DetectEuFlags extends NgcSessionFlags {
  output?: string;
  allowFailures?: boolean;
  verbose?: boolean;
}

/** `detect-eu`: returns the exit code; throws {@link MetadataCliError} on failure. */
export async function runDetectEu(flags: DetectEuFlags, ctx: CommandContext): Promise<number> {
  const logger = ctx.createLogger(flags.verbose ?? false);
  const { results, concurrency } = await fetchCatalogDetails({
    flags,
    ctx,
    logger,
    progressLabel: 'Probing model details',
  });

  const restricted: EuListEntry[] = [];
  const failed: string[] = [];
  for (const { resourceId, outcome } of results) {
    if (outcome.kind === 'eu-restricted') {
      const entry = buildEuListEntry(resourceId);
      if (entry) restricted.push(entry);
      else failed.push(`${resourceId}: not an org/team/name resource id`);
    } else if (outcome.kind === 'failed') {
      failed.push(`${resourceId}: ${outcome.reason}`);
    }
  }
  failed.sort();
  const list = buildEuList(restricted);
  ctx.writeErrLine(
    `Probed ${results.length} models: ${list.length} answered 451 (EU-restricted), ` +
      `${failed.length} failed.`,
  );
  ctx.writeErrLine(formatConcurrency(concurrency));
  for (const line of failed) ctx.writeErrLine(`  failed: ${line}`);
  if (failed.length > 0 && !flags.allowFailures) {
    throw new MetadataCliError(
      'model-failures',
      `${failed.length} probe(s) failed after retries, so the list would be incomplete; nothing ` +
        'was written.',
      { suggestion: 'Retry later, or pass --allow-failures to write the partial list.' },
    );
  }
  const content = serializeEuList(list);
  if (flags.output === undefined) {
    ctx.stdout.write(content);
    return EXIT_CODES.ok;
  }
  const path = ctx.resolvePath(flags.output);
  try {
    await writeFileAtomic(path, content);
  } catch (error) {
    throw new MetadataCliError('io', `Cannot write ${flags.output}: ${describeError(error)}`, {
      cause: error,
    });
  }
  ctx.writeErrLine(`Wrote ${displayPath(path, ctx.cwd)}: ${list.length} EU-restricted models.`);
  return EXIT_CODES.ok;
}
