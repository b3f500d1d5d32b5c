import { createRequire } from 'node:module';

import { Command, CommanderError } from 'commander';

import { registerDetectEuCommand } from './commands/detect-eu-command.js';
import { registerDiffCommand } from './commands/diff-command.js';
import { registerGenerateCommand } from './commands/generate-command.js';
import { registerMirrorListCommand } from './commands/mirror-list-command.js';
import { registerValidateCommand } from './commands/validate-command.js';
import { CommandContext } from './context.js';
import { describeError, EXIT_CODES, exitCodeOf, MetadataCliError } from './errors.js';
import { REDACTED, type CliIo } from './io.js';
import { KEY_SOURCES_HINT } from './options.js';

const EXAMPLES = `
Examples:
  NGC_API_KEY=nvapi-… npx nim-metadata generate      # refresh the shipped catalog
  npx nim-metadata diff old.yaml new.yaml --format markdown
  npx nim-metadata validate manifests/nim/nvidia-nim-models-data.yaml
  npx nim-metadata detect-eu --api-key-file key.txt -o eu-restricted-models.json
  npx nim-metadata mirror-list -o imageset-config.yaml   # for a disconnected cluster

Exit codes: 0 success; 1 refused or invalid (a guard tripped, validate found
problems, diff --exit-code saw changes); 2 usage, input or file error; 3 NGC
rejected the key; 4 NGC unavailable or models failed after retries.

Run "nim-metadata <command> --help" for a command's flags and examples.`;

// Flags someone might reach for to pass the key directly; all refused with a pointer.
const KEY_FLAGS = ['--api-key', '--key', '--ngc-api-key', '--apikey', '--token'];
// Anything key-shaped in commander's own messages (they can echo an unknown option's value).
const KEY_PATTERN = /nvapi-[^\s'"]*/g;

/**
 * Builds the `nim-metadata` program: commander never exits the process, writes only to the
 * context's streams, and leaves the exit code in `ctx.exitCode`.
 */
export function buildProgram(ctx: CommandContext): Command {
  const program = new Command('nim-metadata')
    .description(
      'Generate, check and compare the NVIDIA NIM models catalog ConfigMap, and list its images.',
    )
    .version(readVersion(), '-V, --version')
    .option('-v, --verbose', 'log details to stderr (never the key)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text.replace(KEY_PATTERN, REDACTED)),
    })
    .showSuggestionAfterError()
    .addHelpText('after', EXAMPLES);
  // Subcommands created with .command() inherit exitOverride and configureOutput.
  registerGenerateCommand(program, ctx);
  registerDetectEuCommand(program, ctx);
  registerDiffCommand(program, ctx);
  registerValidateCommand(program, ctx);
  registerMirrorListCommand(program, ctx);
  return program;
}

/**
 * Runs `nim-metadata` with `argv` (arguments after the program name) and returns the exit code.
 * Never calls `process.exit`; every error is reported on `io.stderr` here, in one place.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = new CommandContext(io);
  const program = buildProgram(ctx);
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    refuseKeyArgument(argv, program);
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    return reportError(error, ctx, verbose);
  }
}

function reportError(error: unknown, ctx: CommandContext, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message (help, version or a usage error).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
      return EXIT_CODES.ok;
    }
    return EXIT_CODES.usage;
  }
  if (error instanceof MetadataCliError) {
    ctx.writeErrLine(`error: ${error.message}`);
    if (error.suggestion) ctx.writeErrLine(`hint: ${error.suggestion}`);
    if (verbose) writeCauses(error.cause, ctx);
    return exitCodeOf(error.code);
  }
  ctx.writeErrLine(`error: unexpected failure: ${describeError(error)}`);
  if (verbose && error instanceof Error && error.stack) ctx.writeErrLine(error.stack);
  return EXIT_CODES.failed;
}

function writeCauses(cause: unknown, ctx: CommandContext): void {
  for (let depth = 0; cause !== undefined && depth < 5; depth += 1) {
    ctx.writeErrLine(`cause: ${describeError(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
}

/**
 * Refuses a key given as an argument (`--api-key …`, or a bare `nvapi-…` word) before commander
 * parses anything, without echoing it: arguments end up in shell history and `ps` output.
 */
function refuseKeyArgument(argv: readonly string[], program: Command): void {
  const takesValue = new Set<string>();
  for (const command of [program, ...program.commands]) {
    for (const option of command.options) {
      if (!option.required && !option.optional) continue;
      if (option.long) takesValue.add(option.long);
      if (option.short) takesValue.add(option.short);
    }
  }
  for (const [index, token] of argv.entries()) {
    if (token === '--') break;
    const flag = token.split('=')[0] ?? token;
    const previous = index > 0 ? argv[index - 1] : undefined;
    const isValue = previous !== undefined && takesValue.has(previous);
    if (KEY_FLAGS.includes(flag) || (!isValue && token.startsWith('nvapi-'))) {
      throw new MetadataCliError('usage', 'The NGC key is never accepted as a command argument.', {
        suggestion: KEY_SOURCES_HINT,
      });
    }
  }
}

function readVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = require('../package.json') as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
