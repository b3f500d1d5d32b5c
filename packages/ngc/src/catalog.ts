import { z } from 'zod';

/** The search group that lists containers; the response also has a `_scored` group to ignore. */
export const CATALOG_CONTAINER_GROUP = 'CONTAINER';

/** A NIM container found in the catalog search, with the fields the generator may fall back on. */
export interface CatalogEntry {
  /** `org/team/name` (or `org/name` for a repository without a team). */
  resourceId: string;
  org: string;
  team: string | undefined;
  name: string;
  /** NGC namespace, `org/team` or `org`. */
  namespace: string;
  /** From the `latestTag` attribute. */
  latestTag: string;
  displayName: string | undefined;
  description: string | undefined;
  /** `latestTagPushedDate` attribute, else `dateModified`. */
  updatedDate: string | undefined;
}

/** A catalog resource left out, and why. */
export interface CatalogSkip {
  resourceId: string;
  reason: string;
}

/** One parsed page of the catalog search. */
export interface CatalogPage {
  /** Page number the server says it answered (`params.page`). */
  page: number;
  /** `resultPageTotal`: number of pages at the page size the server applied. */
  pageTotal: number;
  /** `resultTotal`: resources across all pages. */
  resultTotal: number;
  entries: CatalogEntry[];
  skipped: CatalogSkip[];
}

// Tolerant schemas: NGC adds fields freely, so unknown fields pass and only what we use is typed.
const attributeSchema = z.looseObject({ key: z.string(), value: z.unknown() });

const resourceSchema = z.looseObject({
  resourceId: z.string(),
  displayName: z.string().nullish(),
  description: z.string().nullish(),
  dateModified: z.string().nullish(),
  attributes: z.array(z.unknown()).nullish(),
});

const groupSchema = z.looseObject({
  groupValue: z.string().nullish(),
  resources: z.array(z.unknown()).nullish(),
});

/** Shape of `GET /v2/search/catalog/resources/CONTAINER` (see `ngc-captures/catalog_search.json`). */
export const catalogSearchResponseSchema = z.looseObject({
  resultTotal: z.number().int().nonnegative().optional(),
  resultPageTotal: z.number().int().nonnegative(),
  params: z.looseObject({ page: z.number().int().nonnegative().optional() }).optional(),
  results: z.array(groupSchema).nullish(),
});

/** Splits `org/team/name` (or `org/name`); `undefined` for anything else. */
export function parseResourceId(
  resourceId: string,
): { org: string; team: string | undefined; name: string } | undefined {
  const parts = resourceId.split('/');
  if (parts.some((part) => part.length === 0)) return undefined;
  if (parts.length === 3) return { org: parts[0]!, team: parts[1], name: parts[2]! };
  if (parts.length === 2) return { org: parts[0]!, team: undefined, name: parts[1]! };
  return undefined;
}

/** The `q` parameter of a catalog search page. Key order matches what NGC's own UI sends. */
export function buildCatalogQuery(options: {
  query: string;
  page: number;
  pageSize: number;
}): string {
  return JSON.stringify({ query: options.query, page: options.page, pageSize: options.pageSize });
}

/**
 * Parses one page of the catalog search. Only the `CONTAINER` group counts (the `_scored` group
 * repeats top hits). Resources without a `latestTag` attribute, or with an id that is not
 * `org/team/name`, are reported in `skipped`. Returns an error message for a response that does
 * not have the search shape at all.
 */
export function parseCatalogPage(json: unknown): CatalogPage | { error: string } {
  const parsed = catalogSearchResponseSchema.safeParse(json);
  if (!parsed.success) return { error: formatIssues(parsed.error) };
  const body = parsed.data;
  const entries: CatalogEntry[] = [];
  const skipped: CatalogSkip[] = [];
  for (const group of body.results ?? []) {
    if (group.groupValue !== CATALOG_CONTAINER_GROUP) continue;
    for (const raw of group.resources ?? []) {
      const resource = resourceSchema.safeParse(raw);
      if (!resource.success) {
        skipped.push({ resourceId: '(unknown)', reason: 'resource without a resourceId' });
        continue;
      }
      const result = toCatalogEntry(resource.data);
      if ('reason' in result) skipped.push(result);
      else entries.push(result);
    }
  }
  return {
    page: body.params?.page ?? 0,
    pageTotal: body.resultPageTotal,
    resultTotal: body.resultTotal ?? entries.length + skipped.length,
    entries,
    skipped,
  };
}

function toCatalogEntry(resource: z.infer<typeof resourceSchema>): CatalogEntry | CatalogSkip {
  const { resourceId } = resource;
  const id = parseResourceId(resourceId);
  if (!id) return { resourceId, reason: 'resourceId is not org/team/name' };
  const attributes = new Map<string, string>();
  for (const raw of resource.attributes ?? []) {
    const attribute = attributeSchema.safeParse(raw);
    if (attribute.success && typeof attribute.data.value === 'string') {
      attributes.set(attribute.data.key, attribute.data.value);
    }
  }
  const latestTag = attributes.get('latestTag')?.trim();
  if (!latestTag) return { resourceId, reason: 'no latestTag attribute' };
  return {
    resourceId,
    org: id.org,
    team: id.team,
    name: id.name,
    namespace: id.team === undefined ? id.org : `${id.org}/${id.team}`,
    latestTag,
    displayName: resource.displayName ?? undefined,
    description: resource.description ?? undefined,
    updatedDate: attributes.get('latestTagPushedDate') ?? resource.dateModified ?? undefined,
  };
}

/** Compact `path: message` list of zod issues, for error messages. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
