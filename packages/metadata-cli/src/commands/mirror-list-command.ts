import { Option, type Command } from 'commander';

import type { CommandContext } from '../context.js';
import type { MirrorTags } from '../mirror-images.js';
import { DEFAULT_OUTPUT_PATH } from '../repo-root.js';
import type { MirrorListFlags } from './mirror-list.js';

/** Output formats of `mirror-list`. */
export const MIRROR_FORMATS = ['imageset', 'list'] as const;
export type MirrorFormat = (typeof MIRROR_FORMATS)[number];

/** Which tags `--tags` takes. */
export const MIRROR_TAG_CHOICES: readonly MirrorTags[] = ['latest', 'all'];

const EXAMPLES = `
Examples:
  # oc-mirror v2: every model's latest tag, and the ImageTagMirrorSet for the cluster:
  npx nim-metadata mirror-list -o imageset-config.yaml --registry mirror.example.com:5000/nvidia \\
    --kserve-config inferenceservice-config.yaml > nvidia-nim-itms.yaml
  oc mirror -c imageset-config.yaml --workspace file:///srv/mirror \\
    docker://mirror.example.com:5000/nvidia --v2

  # A plain list for skopeo, two models with every tag:
  npx nim-metadata mirror-list --format list --tags all --model 'llama-3.1-*' > images.txt

The catalog defaults to ${DEFAULT_OUTPUT_PATH} under the repository root.
KServe adds its model-agent container to a predictor without a storageUri, as every NIM
deployment is: --kserve-config FILE (KServe's inferenceservice-config ConfigMap, as
"oc get configmap inferenceservice-config -o yaml" prints it) adds that image.`;

/** Registers `mirror-list` on the program. */
export function registerMirrorListCommand(program: Command, ctx: CommandContext): void {
  program
    .command('mirror-list')
    .description('list the images a disconnected cluster must mirror, for oc-mirror or skopeo')
    .argument('[catalog]', `the models ConfigMap (default: ${DEFAULT_OUTPUT_PATH})`)
    .addOption(
      new Option(
        '--format <format>',
        'imageset: an oc-mirror v2 ImageSetConfiguration; list: one image a line',
      )
        .choices(MIRROR_FORMATS)
        .default('imageset'),
    )
    .addOption(
      new Option('--model <name>', 'only this model (repeatable; * matches anything)')
        .argParser((value: string, previous: string[]) => [...previous, value])
        .default([], 'every model'),
    )
    .addOption(
      new Option('--tags <which>', "latest: each model's latestTag; all: every tag")
        .choices(MIRROR_TAG_CHOICES)
        .default('latest'),
    )
    .option(
      '--kserve-config <file>',
      "add KServe's model-agent image from its inferenceservice-config",
    )
    .option(
      '--registry <host[/path]>',
      'also print the ImageTagMirrorSet sending nvcr.io/nim there',
    )
    .option('-o, --output <file>', 'write the images here (default: stdout)')
    .option('--itms-output <file>', 'write the ImageTagMirrorSet here (default: stdout)')
    .addHelpText('after', EXAMPLES)
    .action(async (catalog: string | undefined, _options: unknown, self: Command) => {
      // Loaded on use: `--help` and `--version` start without zod, yaml or the NGC client.
      const { runMirrorList } = await import('./mirror-list.js');
      ctx.exitCode = await runMirrorList({ catalog, flags: self.opts<MirrorListFlags>() }, ctx);
    });
}
