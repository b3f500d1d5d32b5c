import type { ModelEntry } from '@odh-nim/contract';

import { isRecord, loadCapture, ngcCapturePaths } from './reference-data.js';

/** The real responses the emulator fills in, loaded once from the fixture captures. */
export interface NgcTemplates {
  catalogSearch: Record<string, unknown>;
  modelTags: Record<string, unknown>;
  keyValidation: Record<string, unknown>;
}

let templates: Promise<NgcTemplates> | undefined;

/** Loads (once) the capture templates. */
export function loadNgcTemplates(): Promise<NgcTemplates> {
  templates ??= (async () => ({
    catalogSearch: expectRecord(await loadCapture(ngcCapturePaths.catalogSearch), 'catalogSearch'),
    modelTags: expectRecord(await loadCapture(ngcCapturePaths.modelTags), 'modelTags'),
    keyValidation: expectRecord(await loadCapture(ngcCapturePaths.keyValidation), 'keyValidation'),
  }))();
  return templates;
}

/** `org/team/name` of an entry, as NGC's `resourceId`. */
export function resourceIdOf(entry: Pick<ModelEntry, 'namespace' | 'name'>): string {
  return `${entry.namespace}/${entry.name}`;
}

/** Page arithmetic of the catalog search: `resultPageTotal = ceil(total / pageSize)`. */
export function paginate<T>(
  items: readonly T[],
  page: number,
  pageSize: number,
): { slice: T[]; pageTotal: number } {
  return {
    slice: items.slice(page * pageSize, (page + 1) * pageSize),
    pageTotal: Math.ceil(items.length / pageSize),
  };
}

/** Options of {@link buildCatalogSearchResponse}. */
export interface CatalogSearchParams {
  /** Every entry matching the query, in ranking order. */
  entries: readonly ModelEntry[];
  page: number;
  /** Page size after the server's cap. */
  pageSize: number;
  /** Resource ids or names listed without a `latestTag` attribute. */
  withoutLatestTag?: ReadonlySet<string>;
}

/**
 * The catalog search answer, built from `catalog_search.json`: a `_scored` group with the top
 * hits of the whole query (not of this page, as the real one) and the `CONTAINER` group with
 * this page. Unknown fields of the capture stay in place.
 */
export function buildCatalogSearchResponse(
  template: Record<string, unknown>,
  params: CatalogSearchParams,
): Record<string, unknown> {
  const { entries, page, pageSize } = params;
  const groups = Array.isArray(template.results) ? template.results.filter(isRecord) : [];
  const containerGroup = groups.find((group) => group.groupValue === 'CONTAINER') ?? {};
  const scoredGroup = groups.find((group) => group.groupValue === '_scored') ?? {};
  const resourceTemplate = firstRecord(containerGroup.resources);
  const templateParams = isRecord(template.params) ? template.params : {};
  const scoredSize = typeof templateParams.scoredSize === 'number' ? templateParams.scoredSize : 2;

  const toResource = (entry: ModelEntry): Record<string, unknown> =>
    buildCatalogResource(resourceTemplate, entry, params.withoutLatestTag);
  const { slice, pageTotal } = paginate(entries, page, pageSize);
  const scored = entries.slice(0, scoredSize).map(toResource);
  return {
    ...clone(template),
    resultTotal: entries.length,
    resultPageTotal: pageTotal,
    params: { ...clone(templateParams), page, pageSize, scoredSize },
    results: [
      { ...clone(scoredGroup), totalCount: scored.length, resources: scored },
      { ...clone(containerGroup), totalCount: entries.length, resources: slice.map(toResource) },
    ],
  };
}

/** One `resources[]` item of the catalog search for `entry`. */
export function buildCatalogResource(
  template: Record<string, unknown>,
  entry: ModelEntry,
  withoutLatestTag: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const [org = entry.namespace, team] = entry.namespace.split('/');
  const resourceId = resourceIdOf(entry);
  const omitLatestTag = withoutLatestTag.has(resourceId) || withoutLatestTag.has(entry.name);
  const attributes = (Array.isArray(template.attributes) ? template.attributes : [])
    .filter(isRecord)
    .filter((attribute) => !(omitLatestTag && attribute.key === 'latestTag'))
    .map((attribute) => {
      if (attribute.key === 'latestTag') return { ...attribute, value: entry.latestTag };
      if (attribute.key === 'latestTagPushedDate')
        return { ...attribute, value: entry.updatedDate };
      return { ...attribute };
    });
  const resource: Record<string, unknown> = {
    ...clone(template),
    orgName: org,
    resourceId,
    sharedWithTeams: [entry.namespace],
    msgTimestamp: Date.parse(entry.updatedDate),
    dateModified: entry.updatedDate,
    description: entry.shortDescription,
    displayName: entry.displayName,
    name: entry.name,
    attributes,
  };
  if (team === undefined) delete resource.teamName;
  else resource.teamName = team;
  return resource;
}

/** The details answer for `entry`, built from `model_tags.json`. */
export function buildModelDetailsResponse(
  template: Record<string, unknown>,
  entry: ModelEntry,
): Record<string, unknown> {
  const variants = (
    Array.isArray(template.latestArchitectureVariants) ? template.latestArchitectureVariants : []
  )
    .filter(isRecord)
    .map((variant) => ({ ...variant, createdDate: entry.updatedDate }));
  const labels = (Array.isArray(template.labels) ? template.labels : []).filter(
    // The capture's model-specific labels ("Llama3.1") would be wrong for other models.
    (label) => typeof label === 'string' && !/llama/i.test(label),
  );
  const response: Record<string, unknown> = {
    ...clone(template),
    labels,
    latestArchitectureVariants: variants,
    shortDescription: entry.shortDescription,
    namespace: entry.namespace,
    description: `# ${entry.displayName}\n\n${entry.shortDescription}`,
    tags: [...entry.tags],
    sharedWithTeams: [entry.namespace],
    displayName: entry.displayName,
    name: entry.name,
    updatedDate: entry.updatedDate,
    latestTag: entry.latestTag,
  };
  delete response.logo;
  return response;
}

/** The caller-info answer of a valid personal key (the capture is already anonymised). */
export function buildCallerInfoResponse(
  template: Record<string, unknown>,
): Record<string, unknown> {
  return { ...clone(template), type: 'PERSONAL_KEY' };
}

/**
 * NGC's error envelope. NB: not captured; modelled on the `requestStatus` object NGC's API
 * returns on errors. Clients must not depend on it.
 */
export function buildErrorResponse(
  statusCode: string,
  description: string,
): Record<string, unknown> {
  return { requestStatus: { statusCode, statusDescription: description } };
}

function firstRecord(value: unknown): Record<string, unknown> {
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  return isRecord(first) ? first : {};
}

function expectRecord(value: unknown, label: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`NGC capture ${label} is not a JSON object`);
  return value;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
