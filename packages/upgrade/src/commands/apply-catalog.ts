import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import { Command, Option } from 'commander';

import { APPLICATIONS_NAMESPACE_ENV } from '@odh-nim/contract';

import { formatApplyCatalogReport, type ApplyCatalogOptions } from '../catalog/apply-catalog.js';
import { UpgradeError } from '../errors.js';
import { createCliLogger, parseOutputFormat, type CommonOptions } from '../io.js';
import type { CommandContext } from '../cli.js';

/** `nim-upgrade apply-catalog FILE`: replaces the immutable catalog when its digest changed. */
export function applyCatalogCommand(context: CommandContext): Command {
  return new Command('apply-catalog')
    .description(
      'Ship a catalog ConfigMap: left alone when identical, else replaced (delete, then create).',
    )
    .argument('<file>', 'the catalog ConfigMap YAML written by nim-metadata generate')
    .option('--dry-run', 'validate on the apiserver and change nothing')
    .option(
      '--applications-namespace <namespace>',
      "target namespace (default: the manifest's, else the applications namespace)",
    )
    .option(
      '--kubeconfig <file>',
      'kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)',
    )
    .addOption(
      new Option('--output <format>', 'text or json').default('text').argParser(parseOutputFormat),
    )
    .option('--verbose', 'log each step to stderr')
    .action(async (file: string, flags: CommonOptions) => {
      const path = resolve(context.io.cwd ?? process.cwd(), file);
      let manifest: string;
      try {
        manifest = await readFile(path, 'utf8');
      } catch (error) {
        throw new UpgradeError('io', `Could not read ${path}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      const options: ApplyCatalogOptions = {
        kubeConfig: context.loadKubeConfig(flags.kubeconfig),
        manifest,
        namespace: flags.applicationsNamespace ?? context.io.env[APPLICATIONS_NAMESPACE_ENV],
        dryRun: flags.dryRun ?? false,
        logger: createCliLogger(context.io.stderr, flags.verbose ?? false),
      };
      const report = await context.applyCatalog(options);
      context.io.stdout.write(
        flags.output === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : formatApplyCatalogReport(report),
      );
      context.exitCode = report.status === 'failed' ? 1 : 0;
    });
}
