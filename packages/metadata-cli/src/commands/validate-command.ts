import type { Command } from 'commander';

import type { CommandContext } from '../context.js';

const EXAMPLES = `
Examples:
  npx nim-metadata validate manifests/nim/nvidia-nim-models-data.yaml

Checks: YAML without duplicate keys; apiVersion v1, kind ConfigMap, name
nvidia-nim-models-data, immutable: true, label opendatahub.io/managed: "true";
every entry strictly against the schema (no unknown fields), its key equal to its
name, latestTag among its tags; data under the 1 MiB ConfigMap limit; and the
opendatahub.io/nim-catalog-digest annotation matching the content (a stale digest
is an error: an upgrade would not notice the change).

Exit codes: 0 valid, 1 invalid (every problem is listed), 2 usage or I/O error.`;

/** Registers `validate` on the program. */
export function registerValidateCommand(program: Command, ctx: CommandContext): void {
  program
    .command('validate')
    .description('check a models ConfigMap strictly, as the generator must write it')
    .argument('<file>', 'the ConfigMap YAML file')
    .addHelpText('after', EXAMPLES)
    .action(async (file: string) => {
      // Loaded on use: `--help` and `--version` start without zod, yaml or the NGC client.
      const { runValidate } = await import('./validate.js');
      ctx.exitCode = await runValidate(file, ctx);
    });
}
