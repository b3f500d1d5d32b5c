import { z } from 'zod';

import { findTemplateRuntime, type TemplateObject } from '@odh-nim/contract';

const templateShape = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal('Template'),
  metadata: z.looseObject({
    name: z.string(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  objects: z.array(z.looseObject({ kind: z.string().optional() })),
});

/**
 * Checks a Template read from the cluster carries a usable NIM ServingRuntime; returns it typed,
 * or the reason it cannot be used.
 */
export function parseRuntimeTemplate(
  object: unknown,
): { template: TemplateObject } | { reason: string } {
  const shape = templateShape.safeParse(object);
  if (!shape.success) return { reason: 'not a Template with objects' };
  // The contract type is the shape the manifests ship; the runtime check below guards the rest.
  const template = shape.data as unknown as TemplateObject;
  try {
    findTemplateRuntime(template);
  } catch (error) {
    return { reason: error instanceof Error ? error.message : 'invalid Template' };
  }
  return { template };
}
