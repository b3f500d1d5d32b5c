import { Option, type Command } from 'commander';

import type { CommandContext } from '../context.js';
import type { DiffFlags } from './diff.js';

/** Output formats of `diff`. */
export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

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
      // Loaded on use: `--help` and `--version` start without zod, yaml or the NGC client.
      const { runDiff } = await import('./diff.js');
      ctx.exitCode = await runDiff({ oldFile, newFile, flags: self.opts<DiffFlags>() }, ctx);
    });
}
