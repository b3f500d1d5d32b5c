import { z } from 'zod';

import { modelEntrySchema, type ModelEntry } from '@odh-nim/contract';

import { formatIssues, type CatalogEntry } from './catalog.js';

/** A model's metadata from the details endpoint: a catalog entry without the EU flag. */
export type ModelDetails = Omit<ModelEntry, 'euRestricted'>;

const modelDetailsSchema = modelEntrySchema.omit({ euRestricted: true });

// Tolerant: NGC sends many more fields (labels, architecture variants, …) and may drop some.
const nullableString = z.string().nullish().catch(undefined);

/** Shape of `GET /v2/org/{org}/team/{team}/repos/{name}` (see `ngc-captures/model_tags.json`). */
export const modelDetailsResponseSchema = z.looseObject({
  name: nullableString,
  displayName: nullableString,
  shortDescription: nullableString,
  description: nullableString,
  namespace: nullableString,
  tags: z.array(z.unknown()).nullish().catch(undefined),
  latestTag: nullableString,
  updatedDate: nullableString,
  latestArchitectureVariants: z
    .array(z.looseObject({ createdDate: nullableString }))
    .nullish()
    .catch(undefined),
});

/**
 * Maps a details response onto {@link ModelDetails}. The real response carries every field under
 * the same name (`name`, `displayName`, `shortDescription`, `namespace`, `tags`, `latestTag`,
 * `updatedDate`); missing ones fall back to the catalog entry, then to the resource id. Returns an
 * error message when the result would not be a valid catalog entry.
 */
export function parseModelDetails(
  json: unknown,
  source: { resourceId: string; name: string; namespace: string; catalog?: CatalogEntry },
): { details: ModelDetails } | { error: string } {
  const parsed = modelDetailsResponseSchema.safeParse(json);
  if (!parsed.success) return { error: formatIssues(parsed.error) };
  const body = parsed.data;
  const { catalog } = source;
  const name = nonEmpty(body.name) ?? source.name;
  const latestTag = nonEmpty(body.latestTag) ?? catalog?.latestTag;
  if (latestTag === undefined) return { error: 'no latestTag in the details or the catalog' };
  const tags = dedupe(
    (body.tags ?? []).filter((tag): tag is string => typeof tag === 'string' && tag.length > 0),
  );
  // The latest tag is a tag by definition; an empty list would make the entry undeployable.
  if (!tags.includes(latestTag)) tags.push(latestTag);
  const updatedDate =
    nonEmpty(body.updatedDate) ??
    newestDate(body.latestArchitectureVariants) ??
    catalog?.updatedDate;
  if (updatedDate === undefined) return { error: 'no updatedDate in the details or the catalog' };

  const candidate: ModelDetails = {
    name,
    displayName: nonEmpty(body.displayName) ?? nonEmpty(catalog?.displayName) ?? name,
    shortDescription: body.shortDescription ?? catalog?.description ?? '',
    namespace: nonEmpty(body.namespace) ?? source.namespace,
    tags,
    latestTag,
    updatedDate,
  };
  const valid = modelDetailsSchema.safeParse(candidate);
  if (!valid.success) return { error: formatIssues(valid.error) };
  return { details: valid.data };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

function newestDate(
  variants: readonly { createdDate?: string | null | undefined }[] | null | undefined,
): string | undefined {
  const dates = (variants ?? [])
    .map((variant) => nonEmpty(variant.createdDate))
    .filter((date): date is string => date !== undefined && !Number.isNaN(Date.parse(date)));
  // ISO 8601 in UTC sorts lexically; NGC always answers in UTC ("…Z").
  return dates.sort().at(-1);
}
