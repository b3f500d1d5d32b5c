import { z } from 'zod';

/** One model of the catalog, as stored in a data value of `nvidia-nim-models-data` (SPEC §2.1). */
export const modelEntrySchema = z.object({
  name: z
    .string()
    .min(1)
    .regex(/^[-._a-zA-Z0-9]+$/, 'must be a valid ConfigMap key (letters, digits, "-", "_", ".")'),
  displayName: z.string().min(1),
  shortDescription: z.string(),
  namespace: z.string().regex(/^[a-z0-9][-a-z0-9_.]*(\/[a-z0-9][-a-z0-9_.]*)?$/, {
    message: 'must be an NGC namespace such as "nim/meta"',
  }),
  tags: z.array(z.string().min(1)).min(1, 'must list at least one tag'),
  latestTag: z.string().min(1),
  updatedDate: z.iso.datetime({ offset: true }),
  // Catalogs generated before EU detection existed lack the field: absent means not restricted.
  euRestricted: z.boolean().default(false),
});

export type ModelEntry = z.infer<typeof modelEntrySchema>;

/** Field order of a serialized entry: stable output keeps generated files byte-identical. */
export const MODEL_ENTRY_FIELDS = [
  'name',
  'displayName',
  'shortDescription',
  'namespace',
  'tags',
  'latestTag',
  'updatedDate',
  'euRestricted',
] as const satisfies readonly (keyof ModelEntry)[];
