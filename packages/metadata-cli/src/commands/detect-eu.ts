import type { Command } from 'commander';

import { writeFileAtomic } from '../atomic-write.js';
import type { CommandContext } from '../context.js';
import { describeError, EXIT_CODES, MetadataCliError } from '../errors.js';
import { buildEuList, buildEuListEntry, serializeEuList, type EuListEntry } from '../eu-list.js';
import { fetchCatalogDetails, type NgcSessionFlags } from '../ngc-session.js';
import { keyOptions, ngcOptions } from '../options.js';
import { displayPath } from '../repo-root.js';

/** Flags of `detect-eu`, as commander parses them. */
export interface DetectEuFlags extends NgcSessionFlags {
  output?: string;
  allowFailures?: boolean;
  verbose?: boolean;
}

const EXAMPLES = `
Examples:
  # From a machine in the EU, with an EU account's personal key:
  NGC_API_KEY=nvapi-… npx nim-metadata detect-eu --output eu-restricted-models.json

  # Then, anywhere, merge it into the catalog:
  npx nim-metadata generate --eu-list eu-restricted-models.json

Writes a JSON array of {name, resourceId, org, team} for every model whose details
endpoint answers HTTP 451 (unavailable for legal reasons), sorted by resourceId, to
--output (atomically) or to stdout. NVIDIA exposes no region field: the probe must run
from the EU to see the restrictions. Fails if any model's probe fails after retries,
as the list would be incomplete (--allow-failures writes it anyway).`;

/** Registers `detect-eu` on the program. */
export function registerDetectEuCommand(program: Command, ctx: CommandContext): void {
  const command = program
    .command('detect-eu')
    .description("probe every model's details and list those answering 451 (EU-restricted)")
    .option('-o, --output <file>', 'where to write the JSON list (default: stdout)')
    .option('--allow-failures', 'write the list even if some probes failed after retries')
    .addHelpText('after', EXAMPLES);
  for (const option of [...keyOptions(), ...ngcOptions()]) command.addOption(option);
  command.action(async (_options: unknown, self: Command) => {
    ctx.exitCode = await runDetectEu(self.optsWithGlobals<DetectEuFlags>(), ctx);
  });
}

/** `detect-eu`: returns the exit code; throws {@link MetadataCliError} on failure. */
export async function runDetectEu(flags: DetectEuFlags, ctx: CommandContext): Promise<number> {
  const logger = ctx.createLogger(flags.verbose ?? false);
  const { results } = await fetchCatalogDetails({
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
