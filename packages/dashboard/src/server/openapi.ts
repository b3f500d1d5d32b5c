import { z } from 'zod';

/** JSON Schema of a zod schema for the OpenAPI description (validation stays with zod). */
export function toOpenApiSchema(
  schema: z.ZodType,
  io: 'input' | 'output' = 'output',
): Record<string, unknown> {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return json;
}
