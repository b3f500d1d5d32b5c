import { sortTags, type ModelEntry } from '@odh-nim/contract';

/** A field's value before and after. */
export interface ValueChange<T> {
  from: T;
  to: T;
}

/** Fields compared besides tags, `latestTag` and `euRestricted`. */
export const OTHER_DIFF_FIELDS = [
  'displayName',
  'shortDescription',
  'namespace',
  'updatedDate',
] as const satisfies readonly (keyof ModelEntry)[];

export type OtherDiffField = (typeof OTHER_DIFF_FIELDS)[number];

/** How one model present in both catalogs changed. */
export interface ModelChange {
  name: string;
  /** Tags only in the new catalog, newest first. Tag order alone is not a change. */
  tagsAdded: string[];
  /** Tags only in the old catalog, newest first. */
  tagsRemoved: string[];
  latestTag?: ValueChange<string>;
  euRestricted?: ValueChange<boolean>;
  /** Other fields that changed, in {@link OTHER_DIFF_FIELDS} order. */
  fields: ({ field: OtherDiffField } & ValueChange<string>)[];
}

/** What changed between two catalogs; every list sorted by model name. */
export interface CatalogDiff {
  /** Model counts of the old and the new catalog. */
  before: number;
  after: number;
  added: ModelEntry[];
  removed: ModelEntry[];
  changed: ModelChange[];
  unchanged: number;
}

/** Compares two catalogs by model name. */
export function diffCatalogs(
  before: readonly ModelEntry[],
  after: readonly ModelEntry[],
): CatalogDiff {
  const old = new Map(before.map((model) => [model.name, model]));
  const next = new Map(after.map((model) => [model.name, model]));
  const added = [...next.values()].filter((model) => !old.has(model.name));
  const removed = [...old.values()].filter((model) => !next.has(model.name));
  const changed: ModelChange[] = [];
  let unchanged = 0;
  for (const model of next.values()) {
    const previous = old.get(model.name);
    if (!previous) continue;
    const change = diffModel(previous, model);
    if (change) changed.push(change);
    else unchanged += 1;
  }
  const byName = (a: { name: string }, b: { name: string }): number => compare(a.name, b.name);
  return {
    before: old.size,
    after: next.size,
    added: added.sort(byName),
    removed: removed.sort(byName),
    changed: changed.sort(byName),
    unchanged,
  };
}

/** True when the catalogs hold the same models with the same content (tag order aside). */
export function isEmptyDiff(diff: CatalogDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

function diffModel(before: ModelEntry, after: ModelEntry): ModelChange | undefined {
  const oldTags = new Set(before.tags);
  const newTags = new Set(after.tags);
  const change: ModelChange = {
    name: after.name,
    tagsAdded: sortTags(after.tags.filter((tag) => !oldTags.has(tag))),
    tagsRemoved: sortTags(before.tags.filter((tag) => !newTags.has(tag))),
    fields: [],
  };
  if (before.latestTag !== after.latestTag) {
    change.latestTag = { from: before.latestTag, to: after.latestTag };
  }
  if (before.euRestricted !== after.euRestricted) {
    change.euRestricted = { from: before.euRestricted, to: after.euRestricted };
  }
  for (const field of OTHER_DIFF_FIELDS) {
    if (before[field] !== after[field]) {
      change.fields.push({ field, from: before[field], to: after[field] });
    }
  }
  const same =
    change.tagsAdded.length === 0 &&
    change.tagsRemoved.length === 0 &&
    !change.latestTag &&
    !change.euRestricted &&
    change.fields.length === 0;
  return same ? undefined : change;
}

function summaryCounts(diff: CatalogDiff): string {
  return (
    `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ` +
    `${diff.unchanged} unchanged`
  );
}

/** Plain text for a terminal. */
export function formatDiffText(diff: CatalogDiff): string {
  if (isEmptyDiff(diff)) return `No differences: ${diff.after} models.\n`;
  const lines = [`Catalog: ${diff.before} -> ${diff.after} models (${summaryCounts(diff)})`];
  if (diff.added.length > 0) {
    lines.push('', `Added (${diff.added.length}):`);
    for (const model of diff.added) {
      const eu = model.euRestricted ? ' [EU-restricted]' : '';
      lines.push(
        `  + ${model.name} (${model.namespace}) latest ${model.latestTag}; ` +
          `tags: ${sortTags(model.tags).join(', ')}${eu}`,
      );
    }
  }
  if (diff.removed.length > 0) {
    lines.push('', `Removed (${diff.removed.length}):`);
    for (const model of diff.removed) lines.push(`  - ${model.name} (${model.namespace})`);
  }
  if (diff.changed.length > 0) {
    lines.push('', `Changed (${diff.changed.length}):`);
    for (const change of diff.changed) {
      lines.push(`  ~ ${change.name}`);
      if (change.tagsAdded.length > 0)
        lines.push(`      tags added: ${change.tagsAdded.join(', ')}`);
      if (change.tagsRemoved.length > 0) {
        lines.push(`      tags removed: ${change.tagsRemoved.join(', ')}`);
      }
      if (change.latestTag) {
        lines.push(`      latestTag: ${change.latestTag.from} -> ${change.latestTag.to}`);
      }
      if (change.euRestricted) {
        lines.push(`      euRestricted: ${change.euRestricted.from} -> ${change.euRestricted.to}`);
      }
      for (const field of change.fields) {
        lines.push(`      ${field.field}: ${quote(field.from)} -> ${quote(field.to)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Markdown for the pull request that ships a new catalog. */
export function formatDiffMarkdown(diff: CatalogDiff): string {
  const lines = ['## NIM model catalog changes', ''];
  if (isEmptyDiff(diff)) {
    lines.push(`No differences: ${diff.after} models.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`**${diff.before} → ${diff.after} models**: ${summaryCounts(diff)}.`);
  if (diff.added.length > 0) {
    lines.push('', `### Added (${diff.added.length})`, '');
    lines.push(
      '| Model | Namespace | Latest tag | Tags | EU-restricted |',
      '|---|---|---|---|---|',
    );
    for (const model of diff.added) {
      lines.push(
        row([
          code(model.name),
          code(model.namespace),
          code(model.latestTag),
          codes(sortTags(model.tags)),
          model.euRestricted ? '⚠️ yes' : 'no',
        ]),
      );
    }
  }
  if (diff.removed.length > 0) {
    lines.push('', `### Removed (${diff.removed.length})`, '');
    lines.push('| Model | Namespace | Latest tag |', '|---|---|---|');
    for (const model of diff.removed) {
      lines.push(row([code(model.name), code(model.namespace), code(model.latestTag)]));
    }
  }
  if (diff.changed.length > 0) {
    lines.push('', `### Changed (${diff.changed.length})`, '');
    lines.push(
      '| Model | Tags added | Tags removed | Latest tag | EU-restricted | Other fields |',
      '|---|---|---|---|---|---|',
    );
    for (const change of diff.changed) {
      lines.push(
        row([
          code(change.name),
          codes(change.tagsAdded),
          codes(change.tagsRemoved),
          change.latestTag ? `${code(change.latestTag.from)} → ${code(change.latestTag.to)}` : '',
          change.euRestricted
            ? `${yesNo(change.euRestricted.from)} → ${yesNo(change.euRestricted.to)}`
            : '',
          change.fields.map((field) => field.field).join(', '),
        ]),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The diff as JSON, for scripts. */
export function formatDiffJson(diff: CatalogDiff): string {
  const body = {
    summary: {
      before: diff.before,
      after: diff.after,
      added: diff.added.length,
      removed: diff.removed.length,
      changed: diff.changed.length,
      unchanged: diff.unchanged,
    },
    added: diff.added,
    removed: diff.removed,
    changed: diff.changed,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

function yesNo(value: boolean): string {
  return value ? '⚠️ yes' : 'no';
}

// Markdown tables break on pipes and newlines; code spans break on backticks.
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function codes(values: readonly string[]): string {
  return values.map(code).join(', ');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
