import { z } from 'zod';

import { parseResourceId } from '@odh-nim/ngc';

import { MetadataCliError } from './errors.js';

/**
 * One EU-restricted model, as `detect-eu` writes it and `generate --eu-list` reads it (the format
 * of the testkit's `eu-restricted-models.json`). `team` is absent for an `org/name` repository.
 */
export const euListEntrySchema = z.strictObject({
  name: z.string().min(1),
  resourceId: z.string().min(1),
  org: z.string().min(1),
  team: z.string().min(1).optional(),
});

export type EuListEntry = z.infer<typeof euListEntrySchema>;

export const euListSchema = z.array(euListEntrySchema);

/** The EU list entry of an NGC resource id (`org/team/name`), or `undefined` if malformed. */
export function buildEuListEntry(resourceId: string): EuListEntry | undefined {
  const id = parseResourceId(resourceId);
  if (!id) return undefined;
  return {
    name: id.name,
    resourceId,
    org: id.org,
    ...(id.team === undefined ? {} : { team: id.team }),
  };
}

/**
 * Parses an EU list (JSON). Every entry must match the schema and its `resourceId` must agree
 * with `org`, `team` and `name`. Throws a {@link MetadataCliError} naming `source` otherwise.
 */
export function parseEuList(text: string, source: string): EuListEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MetadataCliError('invalid-input', `${source} is not valid JSON.`, {
      cause: error,
      suggestion: 'Expected a JSON array of {name, resourceId, org, team}, as detect-eu writes.',
    });
  }
  const parsed = euListSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new MetadataCliError('invalid-input', `${source} is not an EU list: ${issues}`, {
      suggestion: 'Expected a JSON array of {name, resourceId, org, team}, as detect-eu writes.',
    });
  }
  for (const [index, entry] of parsed.data.entries()) {
    const expected = [entry.org, entry.team, entry.name].filter((part) => part !== undefined);
    if (entry.resourceId !== expected.join('/')) {
      throw new MetadataCliError(
        'invalid-input',
        `${source}: entry ${index} has resourceId "${entry.resourceId}", which does not match ` +
          `org/team/name "${expected.join('/')}".`,
      );
    }
  }
  return parsed.data;
}

/** The list sorted by `resourceId`, one entry per resource, fields in a fixed order. */
export function buildEuList(entries: readonly EuListEntry[]): EuListEntry[] {
  const byId = new Map<string, EuListEntry>();
  for (const entry of entries) {
    byId.set(entry.resourceId, {
      name: entry.name,
      resourceId: entry.resourceId,
      org: entry.org,
      ...(entry.team === undefined ? {} : { team: entry.team }),
    });
  }
  return [...byId.values()].sort((a, b) => compareStrings(a.resourceId, b.resourceId));
}

/** JSON text of an EU list: sorted, two-space indented, ending with a newline. */
export function serializeEuList(entries: readonly EuListEntry[]): string {
  return `${JSON.stringify(buildEuList(entries), null, 2)}\n`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
