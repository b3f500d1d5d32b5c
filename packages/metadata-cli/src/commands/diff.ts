import { readFile } from 'node:fs/promises';

import { ContractError, parseModelsConfigMap, type ModelEntry } from '@odh-nim/contract';

import {
  diffCatalogs,
  formatDiffJson,
  formatDiffMarkdown,
  formatDiffText,
  isEmptyDiff,
} from '../catalog-diff.js';
import type { CommandContext } from '../context.js';
import type { DiffFormat } from './diff-command.js';
import { describeError, EXIT_CODES, MetadataCliError } from '../errors.js';

/** Flags of `diff`, as commander parses them. */
export interface DiffFlags {
  format: DiffFormat;
  exitCode?: boolean;
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
