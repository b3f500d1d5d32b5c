import type { Command } from 'commander';

import type { CommandContext } from '../context.js';
import { keyOptions, ngcOptions } from '../options.js';
import type { DetectEuFlags } from './detect-eu.js';

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
    // Loaded on use: `--help` and `--version` start without zod, yaml or the NGC client.
    const { runDetectEu } = await import('./detect-eu.js');
    ctx.exitCode = await runDetectEu(self.optsWithGlobals<DetectEuFlags>(), ctx);
  });
}
