import type { KubeConfig } from '@kubernetes/client-node';
import { Command, CommanderError } from 'commander';

import {
  applyCatalog,
  type ApplyCatalogOptions,
  type ApplyCatalogReport,
} from './catalog/apply-catalog.js';
import { cleanup, type CleanupOptions } from './cleanup/cleanup.js';
import type { CleanupReport } from './cleanup/report.js';
import { applyCatalogCommand } from './commands/apply-catalog.js';
import { cleanupCommand } from './commands/cleanup.js';
import { isUpgradeError, type UpgradeError } from './errors.js';
import { loadKubeConfig, type CliIo } from './io.js';

/** Process exit codes of `nim-upgrade` (documented in the package README). */
export const EXIT_CODES = {
  /** Everything succeeded (or there was nothing to do). */
  ok: 0,
  /** At least one object failed; the report says which and why. */
  failed: 1,
  /** Nothing ran: bad usage, no kubeconfig, the cluster could not be read, a bad manifest. */
  error: 2,
} as const;

/** The library calls a command makes; replaced by tests. */
export interface CliDependencies {
  cleanup: (options: CleanupOptions) => Promise<CleanupReport>;
  applyCatalog: (options: ApplyCatalogOptions) => Promise<ApplyCatalogReport>;
  loadKubeConfig: (path: string | undefined) => KubeConfig;
}

/** What every command gets: the streams, the library, and where it leaves its exit code. */
export interface CommandContext extends CliDependencies {
  io: CliIo;
  exitCode: number;
}

/** Flags that take a value, to find `--output json` before commander has parsed anything. */
function wantsJson(argv: readonly string[]): boolean {
  const index = argv.findIndex((arg) => arg === '--output' || arg.startsWith('--output='));
  if (index < 0) return false;
  const arg = argv[index] ?? '';
  return (arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1]) === 'json';
}

function writeError(io: CliIo, error: UpgradeError, json: boolean): void {
  if (json) {
    io.stdout.write(
      `${JSON.stringify({ error: { code: error.code, message: error.message, suggestion: error.suggestion } }, null, 2)}\n`,
    );
  }
  io.stderr.write(`error: ${error.message}\n`);
  if (error.suggestion) io.stderr.write(`hint: ${error.suggestion}\n`);
}

/**
 * `nim-upgrade` without the process: parses `argv` (without node and the script), runs the
 * command, writes to `io`, and returns the exit code. Only `main.ts` calls `process.exit`.
 */
export async function run(
  argv: readonly string[],
  io: CliIo,
  dependencies: Partial<CliDependencies> = {},
): Promise<number> {
  const context: CommandContext = {
    cleanup,
    applyCatalog,
    loadKubeConfig,
    ...dependencies,
    io,
    exitCode: EXIT_CODES.ok,
  };
  const program = new Command('nim-upgrade')
    .description('Upgrade steps of the NVIDIA NIM integration for OpenDataHub / OpenShift AI.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError()
    .addCommand(cleanupCommand(context))
    .addCommand(applyCatalogCommand(context));
  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.error;
    }
    if (isUpgradeError(error)) {
      writeError(io, error, wantsJson(argv));
      return EXIT_CODES.error;
    }
    throw error;
  }
}
