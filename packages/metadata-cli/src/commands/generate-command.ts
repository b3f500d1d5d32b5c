import type { Command } from 'commander';

import type { CommandContext } from '../context.js';
import { keyOptions, maxDropOption, ngcOptions } from '../options.js';
import { DEFAULT_OUTPUT_PATH } from '../repo-root.js';
import type { GenerateFlags } from './generate.js';

const EXAMPLES = `
Examples:
  # Regenerate the shipped catalog (needs an NGC personal key):
  NGC_API_KEY=nvapi-… npx nim-metadata generate

  # Mark the models an EU probe found, write elsewhere, key from a file:
  npx nim-metadata generate --api-key-file ~/.ngc/key \\
    --eu-list eu-restricted-models.json --output /tmp/nvidia-nim-models-data.yaml

  # Key from a secret manager, through stdin:
  pass show ngc/key | npx nim-metadata generate --api-key-stdin

Output defaults to ${DEFAULT_OUTPUT_PATH} under the repository root (the nearest
directory above the working directory whose package.json declares workspaces), or
under the working directory outside a repository.

Refuses, leaving the existing file untouched, when: the key is rejected (also in the
middle of a run), NGC keeps failing, a model's details fail after retries (unless
--allow-failures: those models are then left out), no model resolves, the catalog
exceeds the 1 MiB ConfigMap limit, or it would drop more than --max-drop of the
models in the existing file (unless --allow-drop).`;

/** Registers `generate` on the program. */
export function registerGenerateCommand(program: Command, ctx: CommandContext): void {
  const command = program
    .command('generate')
    .description('fetch NIM model metadata from NGC and write the models ConfigMap')
    .option('-o, --output <file>', `where to write the ConfigMap (default: ${DEFAULT_OUTPUT_PATH})`)
    .option('--namespace <namespace>', 'set metadata.namespace (default: none, kustomize sets it)')
    .option('--eu-list <file>', 'JSON list of EU-restricted models to mark (as detect-eu writes)')
    .addOption(maxDropOption())
    .option('--allow-drop', 'write even if more than --max-drop of the existing models go away')
    .option('--allow-failures', 'write without the models whose details failed after retries')
    .addHelpText('after', EXAMPLES);
  for (const option of [...keyOptions(), ...ngcOptions()]) command.addOption(option);
  command.action(async (_options: unknown, self: Command) => {
    // Loaded on use: `--help` and `--version` start without zod, yaml or the NGC client.
    const { runGenerate } = await import('./generate.js');
    ctx.exitCode = await runGenerate(self.optsWithGlobals<GenerateFlags>(), ctx);
  });
}
