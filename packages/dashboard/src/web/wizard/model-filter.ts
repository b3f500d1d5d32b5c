import type { ModelEntry } from '@odh-nim/contract';

/** What the model step's toolbar narrows the catalog by. */
export interface ModelFilter {
  /** Free text; every word must match the name, display name, description or NGC namespace. */
  query: string;
  /** An NGC namespace such as `nim/meta`; empty for all. */
  publisher: string;
}

export const EMPTY_MODEL_FILTER: ModelFilter = { query: '', publisher: '' };

function words(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word.length > 0);
}

/**
 * The models that match `filter`, ordered for people: models whose name or display name matches
 * every word first, then those matched through their description, each group by display name.
 * EU-restricted models are never filtered out.
 */
export function filterModels(models: readonly ModelEntry[], filter: ModelFilter): ModelEntry[] {
  const terms = words(filter.query);
  const ranked: { model: ModelEntry; rank: number }[] = [];
  for (const model of models) {
    if (filter.publisher !== '' && model.namespace !== filter.publisher) continue;
    const title = `${model.displayName} ${model.name}`.toLowerCase();
    const everything = `${title} ${model.shortDescription} ${model.namespace}`.toLowerCase();
    if (!terms.every((term) => everything.includes(term))) continue;
    ranked.push({ model, rank: terms.every((term) => title.includes(term)) ? 0 : 1 });
  }
  return ranked
    .sort((a, b) => a.rank - b.rank || compareDisplayNames(a.model, b.model))
    .map(({ model }) => model);
}

function compareDisplayNames(a: ModelEntry, b: ModelEntry): number {
  return (
    a.displayName.localeCompare(b.displayName, 'en', { sensitivity: 'base', numeric: true }) ||
    a.name.localeCompare(b.name)
  );
}

/** One NGC namespace of the catalog with how many models it has, for the publisher filter. */
export interface PublisherOption {
  namespace: string;
  label: string;
  count: number;
}

/** The catalog's NGC namespaces, most models first. */
export function listPublishers(models: readonly ModelEntry[]): PublisherOption[] {
  const counts = new Map<string, number>();
  for (const model of models) counts.set(model.namespace, (counts.get(model.namespace) ?? 0) + 1);
  return [...counts]
    .map(([namespace, count]) => ({ namespace, label: publisherLabel(namespace), count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** `nim/meta` → `meta`: the team part of an NGC namespace names the publisher. */
export function publisherLabel(namespace: string): string {
  const team = namespace.split('/')[1];
  return team ?? namespace;
}

const dateFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

/** `2025-07-07T20:47:46.323Z` → `Jul 7, 2025` (UTC, so every viewer sees the same day). */
export function formatUpdated(isoDate: string): string {
  const date = new Date(isoDate);
  return Number.isNaN(date.getTime()) ? isoDate : dateFormat.format(date);
}

/** "1 version" / "12 versions", counting distinct tags. */
export function describeVersionCount(model: Pick<ModelEntry, 'tags'>): string {
  const count = new Set(model.tags).size;
  return `${count} ${count === 1 ? 'version' : 'versions'}`;
}
