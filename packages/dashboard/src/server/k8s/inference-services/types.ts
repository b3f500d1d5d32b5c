import { z } from 'zod';

import { objectMetaSchema, resourceRequirementsSchema } from '../object-meta.js';

/** One entry of `status.conditions`. */
export const conditionSchema = z.looseObject({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

/** KServe's `status.modelStatus`, as far as the deployment list reads it. */
export const modelStatusSchema = z.looseObject({
  transitionStatus: z.string().optional(),
  states: z
    .looseObject({
      activeModelState: z.string().optional(),
      targetModelState: z.string().optional(),
    })
    .optional(),
  lastFailureInfo: z
    .looseObject({ reason: z.string().optional(), message: z.string().optional() })
    .optional(),
});

export const inferenceServiceStatusSchema = z.looseObject({
  url: z.string().optional(),
  address: z.looseObject({ url: z.string().optional() }).optional(),
  conditions: z.array(conditionSchema).optional(),
  modelStatus: modelStatusSchema.optional(),
});
export type InferenceServiceStatus = z.infer<typeof inferenceServiceStatusSchema>;

/** The fields of an InferenceService the backend reads back. */
export const inferenceServiceReadSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      predictor: z
        .looseObject({
          minReplicas: z.number().optional(),
          maxReplicas: z.number().optional(),
          annotations: z.record(z.string(), z.string()).optional(),
          model: z
            .looseObject({
              modelFormat: z.looseObject({ name: z.string() }).optional(),
              runtime: z.string().optional(),
              resources: resourceRequirementsSchema.optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
  status: inferenceServiceStatusSchema.optional(),
});
export type InferenceServiceRead = z.infer<typeof inferenceServiceReadSchema>;
