import { z } from 'zod';

import {
  objectMetaSchema,
  quantityValueSchema,
  resourceRequirementsSchema,
} from '../object-meta.js';

/** The fields of a ServingRuntime the backend reads back. */
export const servingRuntimeReadSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      annotations: z.record(z.string(), z.string()).optional(),
      supportedModelFormats: z
        .array(z.looseObject({ name: z.string(), version: quantityValueSchema.optional() }))
        .optional(),
      containers: z
        .array(
          z.looseObject({
            name: z.string(),
            image: z.string().optional(),
            ports: z
              .array(z.looseObject({ containerPort: z.number(), name: z.string().optional() }))
              .optional(),
            resources: resourceRequirementsSchema.optional(),
            volumeMounts: z
              .array(
                z.looseObject({
                  name: z.string(),
                  mountPath: z.string(),
                  subPath: z.string().optional(),
                }),
              )
              .optional(),
          }),
        )
        .optional(),
      volumes: z
        .array(
          z.looseObject({
            name: z.string(),
            persistentVolumeClaim: z.looseObject({ claimName: z.string() }).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

export type ServingRuntimeRead = z.infer<typeof servingRuntimeReadSchema>;
