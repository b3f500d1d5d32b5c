import { InvalidArgumentError, Option } from 'commander';

import { NGC_API_KEY_ENV } from '@odh-nim/contract/names';
import { NGC_API_BASE_URL } from '@odh-nim/ngc/defaults';

import { DEFAULT_MAX_DROP_SHARE, parseDropShare } from './drop-guard.js';

// Flags, their defaults and how to pass a key: all `--help` needs, so no heavy import here.

/** Environment variable overriding the NGC API base URL (flag `--base-url` wins). */
export const NGC_BASE_URL_ENV = 'NGC_BASE_URL';

/** Default of `--concurrency`: the most model detail requests in flight at once. */
// The width adapts below it (AIMD from 16, see @odh-nim/ngc): the whole catalog fits in two
// round trips at this cap, and NGC's 429s, honoured with Retry-After, bound it from the other side.
export const DEFAULT_CONCURRENCY = 128;

/** Highest `--concurrency` accepted. */
export const MAX_CONCURRENCY = 512;

/** How to pass a key, for every message that asks for one. */
export const KEY_SOURCES_HINT =
  `Pass it with --api-key-file FILE, the ${NGC_API_KEY_ENV} environment variable, or ` +
  '--api-key-stdin; never as an argument (it would land in shell history and process lists).';

/** Parses a whole number within `[min, max]` for a flag, or throws commander's usage error. */
export function integerArgument(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || number < min || number > max) {
      throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    }
    return number;
  };
}

function dropShareArgument(value: string): number {
  const share = parseDropShare(value);
  if (share === undefined) {
    throw new InvalidArgumentError('Expected a share from 0 to 1 (0.1) or a percentage (10%).');
  }
  return share;
}

/** Key flags: a file or stdin, never the key itself (see `KEY_SOURCES_HINT`). */
export function keyOptions(): Option[] {
  return [
    new Option(
      '--api-key-file <file>',
      'read the NGC personal key (nvapi-…) from FILE (default: $NGC_API_KEY)',
    ),
    new Option('--api-key-stdin', 'read the NGC personal key from standard input'),
  ];
}

/** Flags of the commands that call NGC. */
export function ngcOptions(): Option[] {
  return [
    new Option(
      '--base-url <url>',
      `NGC API base URL (env: ${NGC_BASE_URL_ENV}; default: ${NGC_API_BASE_URL})`,
    ),
    new Option(
      '--concurrency <n>',
      'most model detail requests in flight; the width adapts below it (starts at 16)',
    )
      .argParser(integerArgument(1, MAX_CONCURRENCY))
      .default(DEFAULT_CONCURRENCY),
    new Option('--timeout <ms>', 'per-request timeout in milliseconds (default: 30000)').argParser(
      integerArgument(1, 600_000),
    ),
    new Option('--retries <n>', 'retries of a failed request (default: 4)').argParser(
      integerArgument(0, 20),
    ),
  ];
}

/** `--max-drop` with its parser and default. */
export function maxDropOption(): Option {
  return new Option(
    '--max-drop <share>',
    'refuse to drop more than this share of the existing models (0.1 or 10%)',
  )
    .argParser(dropShareArgument)
    .default(DEFAULT_MAX_DROP_SHARE, '0.1 (10%)');
}
