import { z } from 'zod';

/** Quantities as the apiserver returns them from a custom resource: strings, or bare numbers. */
export const quantityValueSchema = z.union([z.string(), z.number()]).transform(String);

export const resourceListSchema = z.record(z.string(), quantityValueSchema);

export const resourceRequirementsSchema = z.looseObject({
  requests: resourceListSchema.optional(),
  limits: resourceListSchema.optional(),
});

/** One `metadata.ownerReferences` entry. */
export const ownerReferenceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
});

/** The metadata fields the backend reads from objects it lists. */
export const objectMetaSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  resourceVersion: z.string().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  ownerReferences: z.array(ownerReferenceSchema).optional(),
});

/** Items of a list answer from the custom objects API. */
export const listSchema = z.looseObject({
  metadata: z.looseObject({ resourceVersion: z.string().optional() }).optional(),
  items: z.array(z.unknown()),
});

/** Parses each item with `schema`, skipping items that do not fit (someone else's shape). */
export function parseItems<T>(list: unknown, schema: z.ZodType<T>): T[] {
  const parsed = listSchema.safeParse(list);
  if (!parsed.success) return [];
  const items: T[] = [];
  for (const item of parsed.data.items) {
    const result = schema.safeParse(item);
    if (result.success) items.push(result.data);
  }
  return items;
}
