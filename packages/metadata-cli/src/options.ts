import { InvalidArgumentError, Option } from 'commander';

import { NGC_API_BASE_URL } from '@odh-nim/ngc';

import { DEFAULT_MAX_DROP_SHARE, parseDropShare } from './drop-guard.js';
import { DEFAULT_CONCURRENCY, NGC_BASE_URL_ENV } from './ngc-session.js';

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
    new Option('--concurrency <n>', 'model detail requests in flight at once')
      .argParser(integerArgument(1, 64))
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
