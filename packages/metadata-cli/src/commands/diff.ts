import { readFile } from 'node:fs/promises';

import { Option, type Command } from 'commander';

import { ContractError, parseModelsConfigMap, type ModelEntry } from '@odh-nim/contract';

import {
  diffCatalogs,
  formatDiffJson,
  formatDiffMarkdown,
  formatDiffText,
  isEmptyDiff,
} from '../catalog-diff.js';
import type { CommandContext } from '../context.js';
import { describeError, EXIT_CODES, MetadataCliError } from '../errors.js';

/** Output formats of `diff`. */
export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Flags of `diff`, as commander parses them. */
export interface DiffFlags {
  format: DiffFormat;
  exitCode?: boolean;
}

const EXAMPLES = `
Examples:
  # What a regenerated catalog changes, before committing it:
  git show HEAD:manifests/nim/nvidia-nim-models-data.yaml > /tmp/old.yaml
  npx nim-metadata diff /tmp/old.yaml manifests/nim/nvidia-nim-models-data.yaml

  # The pull request description:
  npx nim-metadata diff --format markdown old.yaml new.yaml > catalog-changes.md

  # In a script: exit 1 when the catalogs differ, like git diff --exit-code:
  npx nim-metadata diff --exit-code --format json old.yaml new.yaml

Compares models by name: added, removed, and per model tags added/removed, latestTag,
euRestricted and other field changes (tag order alone is not a change). Entries that
fail the schema are reported on stderr and left out of the comparison.`;

/** Registers `diff` on the program. */
export function registerDiffCommand(program: Command, ctx: CommandContext): void {
  program
    .command('diff')
    .description('show what changed between two models ConfigMaps')
    .argument('<old>', 'the catalog before (a ConfigMap YAML file)')
    .argument('<new>', 'the catalog after')
    .addOption(
      new Option('--format <format>', 'output format').choices(DIFF_FORMATS).default('text'),
    )
    .option('--exit-code', 'exit with 1 when the catalogs differ (0 when equal)')
    .addHelpText('after', EXAMPLES)
    .action(async (oldFile: string, newFile: string, _options: unknown, self: Command) => {
      ctx.exitCode = await runDiff({ oldFile, newFile, flags: self.opts<DiffFlags>() }, ctx);
    });
}

/** `diff`: writes the diff to stdout and returns the exit code. */
export async function runDiff(
  options: { oldFile: string; newFile: string; flags: DiffFlags },
  ctx: CommandContext,
): Promise<number> {
  const before = await readCatalog(options.oldFile, ctx);
  const after = await readCatalog(options.newFile, ctx);
  const diff = diffCatalogs(before, after);
  const format = {
    text: formatDiffText,
    markdown: formatDiffMarkdown,
    json: formatDiffJson,
  }[options.flags.format];
  ctx.stdout.write(format(diff));
  return options.flags.exitCode && !isEmptyDiff(diff) ? EXIT_CODES.failed : EXIT_CODES.ok;
}

async function readCatalog(file: string, ctx: CommandContext): Promise<ModelEntry[]> {
  let text: string;
  try {
    text = await readFile(ctx.resolvePath(file), 'utf8');
  } catch (error) {
    throw new MetadataCliError('io', `Cannot read ${file}: ${describeError(error)}`, {
      cause: error,
    });
  }
  try {
    const parsed = parseModelsConfigMap(text);
    for (const problem of parsed.problems) {
      ctx.writeErrLine(`warning: ${file}: ${problem.key}: ${problem.reason} (left out)`);
    }
    return parsed.models;
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    throw new MetadataCliError(
      'invalid-input',
      `${file} is not a models catalog: ${error.message}`,
      {
        cause: error,
        suggestion: 'Pass two ConfigMap YAML files as generate writes them.',
      },
    );
  }
}
