import { z } from 'zod';

/** An ownerReference, as the garbage collector reads it. */
export const ownerReferenceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof ownerReferenceSchema>;

/** The parts of object metadata the upgrade reads; everything else is carried through. */
export const objectMetaSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  ownerReferences: z.array(ownerReferenceSchema).optional(),
  finalizers: z.array(z.string()).optional(),
  deletionTimestamp: z.string().optional(),
});
export type ObjectMeta = z.infer<typeof objectMetaSchema>;

/** Any Kubernetes object: metadata checked, the rest kept as it came. */
export const kubeObjectSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: objectMetaSchema,
});
export type KubeObject = z.infer<typeof kubeObjectSchema>;

const objectReferenceSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
});
export type ObjectReference = z.infer<typeof objectReferenceSchema>;

/** The old design's `Account` (nim.opendatahub.io/v1): the fields the cleanup follows. */
export const accountSchema = z.looseObject({
  ...kubeObjectSchema.shape,
  spec: z.looseObject({ apiKeySecret: objectReferenceSchema.nullish() }).optional(),
  status: z
    .looseObject({
      nimConfig: objectReferenceSchema.nullish(),
      runtimeTemplate: objectReferenceSchema.nullish(),
      nimPullSecret: objectReferenceSchema.nullish(),
    })
    .optional(),
});
export type Account = z.infer<typeof accountSchema>;

/** `spec.components.kserve.nim` of a DataScienceCluster, which the new design drops. */
export const dscNimSchema = z.looseObject({
  managementState: z.string().optional(),
  airGapped: z.boolean().optional(),
});
export type DscNim = z.infer<typeof dscNimSchema>;

/** The spec of a DataScienceCluster down to its NIM block. */
export const dscSpecSchema = z.looseObject({
  components: z
    .looseObject({
      kserve: z.looseObject({ nim: dscNimSchema.nullish() }).nullish(),
    })
    .nullish(),
});

/** A DataScienceCluster: the NIM block of its KServe component. */
export const dataScienceClusterSchema = z.looseObject({
  ...kubeObjectSchema.shape,
  spec: dscSpecSchema.optional(),
});
export type DataScienceCluster = z.infer<typeof dataScienceClusterSchema>;

/** The OdhDashboardConfig fields the DataScienceCluster intent is carried to (SPEC §3.1). */
export const dashboardConfigSchema = z.looseObject({
  ...kubeObjectSchema.shape,
  spec: z
    .looseObject({
      dashboardConfig: z.looseObject({ disableNIMModelServing: z.boolean().optional() }).nullish(),
      nimConfig: z.looseObject({ disableKeyValidation: z.boolean().optional() }).nullish(),
    })
    .optional(),
});
export type DashboardConfig = z.infer<typeof dashboardConfigSchema>;

/** A DSCInitialization: only where it puts the applications namespace. */
export const dscInitializationSchema = z.looseObject({
  ...kubeObjectSchema.shape,
  spec: z.looseObject({ applicationsNamespace: z.string().optional() }).optional(),
});

/**
 * Turns what the client returns (class instances with `Date`s for core kinds, plain JSON for
 * custom objects) into plain JSON checked against `schema`.
 */
export function toPlainObject<T>(schema: z.ZodType<T>, value: unknown): T {
  return schema.parse(JSON.parse(JSON.stringify(value)));
}

/** `namespace/name`, or `name` for cluster-scoped objects. */
export function qualifiedName(meta: { name: string; namespace?: string | undefined }): string {
  return meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name;
}
