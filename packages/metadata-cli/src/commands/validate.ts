import { readFile } from 'node:fs/promises';

import { formatValidation, validateCatalogText } from '../catalog-validate.js';
import type { CommandContext } from '../context.js';
import { describeError, EXIT_CODES, MetadataCliError } from '../errors.js';

/** `validate`: writes the report to stdout and returns 0 (valid) or 1 (invalid). */
export async function runValidate(file: string, ctx: CommandContext): Promise<number> {
  let text: string;
  try {
    text = await readFile(ctx.resolvePath(file), 'utf8');
  } catch (error) {
    throw new MetadataCliError('io', `Cannot read ${file}: ${describeError(error)}`, {
      cause: error,
    });
  }
  const report = await validateCatalogText(text);
  ctx.stdout.write(formatValidation(report, file));
  return report.problems.length === 0 ? EXIT_CODES.ok : EXIT_CODES.failed;
}
