import { Command, Option } from 'commander';

import { APPLICATIONS_NAMESPACE_ENV } from '@odh-nim/contract';

import type { CleanupOptions } from '../cleanup/cleanup.js';
import { formatCleanupReport, type CleanupReport } from '../cleanup/report.js';
import { createCliLogger, parseOutputFormat, type CliIo, type CommonOptions } from '../io.js';
import type { CommandContext } from '../cli.js';

interface CleanupFlags extends CommonOptions {
  keepAccountCrd?: boolean;
}

/** `nim-upgrade cleanup`: removes the old Account-based integration (SPEC §3.5). */
export function cleanupCommand(context: CommandContext): Command {
  return new Command('cleanup')
    .description(
      'Remove the old Account-based NIM integration, keeping everything running deployments use.',
    )
    .option('--dry-run', 'validate every change on the apiserver and change nothing')
    .option(
      '--applications-namespace <namespace>',
      'applications namespace (default: DSCInitialization, then the labelled namespace, then opendatahub)',
    )
    .option(
      '--kubeconfig <file>',
      'kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)',
    )
    .addOption(
      new Option('--output <format>', 'text or json').default('text').argParser(parseOutputFormat),
    )
    .option('--keep-account-crd', 'leave the Account CRD installed when no Account is left')
    .option('--verbose', 'log each step to stderr')
    .action(async (flags: CleanupFlags) => {
      const options: CleanupOptions = {
        kubeConfig: context.loadKubeConfig(flags.kubeconfig),
        applicationsNamespace:
          flags.applicationsNamespace ?? context.io.env[APPLICATIONS_NAMESPACE_ENV],
        dryRun: flags.dryRun ?? false,
        keepAccountCrd: flags.keepAccountCrd ?? false,
        logger: createCliLogger(context.io.stderr, flags.verbose ?? false),
      };
      const report = await context.cleanup(options);
      writeCleanupReport(context.io, report, flags.output);
      context.exitCode = report.failed ? 1 : 0;
    });
}

function writeCleanupReport(io: CliIo, report: CleanupReport, format: 'text' | 'json'): void {
  io.stdout.write(
    format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatCleanupReport(report),
  );
}
