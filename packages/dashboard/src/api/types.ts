/**
 * The dashboard's REST API: route paths, and a zod schema with its inferred type for every
 * request and response body. Shared by the Fastify backend and the browser frontend, so this
 * module imports only zod and the contract (no Node built-ins).
 *
 * Stability: fields are only ever added (optional) after the first version; nothing is renamed.
 */
import { z } from 'zod';

import {
  modelEntrySchema,
  parseQuantity,
  validateDeploymentName,
  validateDns1123Label,
  validateDns1123Subdomain,
} from '@odh-nim/contract';

// ---------------------------------------------------------------------------------------------
// Paths

/** Route paths, in Fastify's `:param` syntax. Use the `*Path` helpers to fill them in. */
export const API_PATHS = {
  models: '/api/nim/models',
  config: '/api/nim/config',
  validateKey: '/api/nim/validate-key',
  deployments: '/api/namespaces/:ns/nim/deployments',
  deployment: '/api/namespaces/:ns/nim/deployments/:name',
  apiKey: '/api/namespaces/:ns/nim/api-key',
  projects: '/api/projects',
  whoami: '/api/whoami',
  health: '/api/health',
  openapi: '/api/openapi.json',
} as const;

/** `GET`/`POST` path of a project's NIM deployments. */
export function deploymentsPath(namespace: string): string {
  return `/api/namespaces/${encodeURIComponent(namespace)}/nim/deployments`;
}

/** `DELETE` path of one NIM deployment. */
export function deploymentPath(namespace: string, name: string): string {
  return `${deploymentsPath(namespace)}/${encodeURIComponent(name)}`;
}

/** `GET`/`PUT` path of a project's NGC key. */
export function apiKeyPath(namespace: string): string {
  return `/api/namespaces/${encodeURIComponent(namespace)}/nim/api-key`;
}

/** Headers the backend reads the caller's identity from (OpenShift's oauth-proxy sets the second). */
export const IDENTITY_HEADERS = {
  authorization: 'authorization',
  forwardedAccessToken: 'x-forwarded-access-token',
} as const;

// ---------------------------------------------------------------------------------------------
// Errors

/** Machine-readable error codes of every non-2xx answer. */
export const apiErrorCodeSchema = z.enum([
  /** No bearer token (401). */
  'unauthenticated',
  /** The apiserver refused the caller (403). */
  'forbidden',
  /** `disableNIMModelServing` is set: NIM features are off (403). */
  'nim-disabled',
  /** The request body or a parameter is invalid (400); `issues` names each field. */
  'invalid-request',
  /** The NGC key was rejected by NGC (400). */
  'invalid-key',
  /** The key is not an NGC personal key (`nvapi-…`) (400). */
  'legacy-key',
  /** NGC could not be reached or kept failing (502). */
  'ngc-unreachable',
  /** A deployment with that name already exists (409). Only ever about the deployment name. */
  'already-exists',
  /** A new cache PVC's name is taken by a PVC of the project (409). */
  'pvc-exists',
  /** Another object the request would create exists already (409). */
  'object-exists',
  /** An object kept changing while this request updated it (409); trying again usually works. */
  'conflict',
  /** The deployment, or an object it needs, does not exist (404). */
  'not-found',
  /** The catalog ConfigMap is missing (409 for a deploy). */
  'catalog-not-installed',
  /** The runtime Template for the chosen protocol is missing (409). */
  'template-not-found',
  /** Per-user rate limit reached (429). */
  'rate-limited',
  /** The apiserver rejected a call for another reason (status passed through, 4xx/5xx). */
  'kubernetes-error',
  /** Anything else (500). */
  'internal',
]);
export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

/** One invalid field: `field` is a dotted path of the request body, e.g. `resources.cpu.limit`. */
export const fieldIssueSchema = z.object({
  field: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/**
 * The steps of a deploy, in order; a deploy error names the one that failed. The ServingRuntime
 * comes before the secrets, and the InferenceService before the PVC, because each is the owner
 * the next is created with.
 */
export const deployStepSchema = z.enum([
  'validate',
  'key-validation',
  'dry-run',
  'serving-runtime',
  'secrets',
  'inference-service',
  'pvc',
]);
export type DeployStep = z.infer<typeof deployStepSchema>;

/** A Kubernetes object, by kind and name, in the deployment's project. */
export const objectRefSchema = z.object({
  kind: z.enum(['Secret', 'PersistentVolumeClaim', 'ServingRuntime', 'InferenceService']),
  name: z.string(),
});
export type ObjectRef = z.infer<typeof objectRefSchema>;

/** What a failed deploy undid. `failed` lists objects it could not undo (act on those by hand). */
export const rollbackReportSchema = z.object({
  removed: z.array(objectRefSchema),
  restored: z.array(objectRefSchema),
  failed: z.array(objectRefSchema.extend({ message: z.string() })),
});
export type RollbackReport = z.infer<typeof rollbackReportSchema>;

/**
 * Body of every non-2xx answer. Deploy failures add `failedStep` and `rolledBack`; validation
 * failures add `issues` (and `field`, the first invalid field).
 */
export const apiErrorSchema = z.object({
  code: apiErrorCodeSchema,
  message: z.string(),
  field: z.string().optional(),
  issues: z.array(fieldIssueSchema).optional(),
  failedStep: deployStepSchema.optional(),
  rolledBack: rollbackReportSchema.optional(),
  /** The apiserver's HTTP status when the error came from Kubernetes. */
  kubernetesStatus: z.number().int().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

// ---------------------------------------------------------------------------------------------
// Catalog and configuration

/** Where the catalog is read from: the shipped ConfigMap, or `spec.nimConfig.customConfigMap`. */
export const catalogSourceSchema = z.object({
  name: z.string(),
  namespace: z.string(),
  custom: z.boolean(),
});
export type CatalogSource = z.infer<typeof catalogSourceSchema>;

/**
 * `ready`: the catalog loaded (possibly with warnings). `catalog-not-installed`: the ConfigMap
 * does not exist. `invalid`: it exists but is not a usable catalog. `disabled`: NIM is off.
 */
export const catalogStateSchema = z.enum(['ready', 'catalog-not-installed', 'invalid', 'disabled']);
export type CatalogState = z.infer<typeof catalogStateSchema>;

/** A catalog entry that was skipped, by its data key. */
export const catalogWarningSchema = z.object({ key: z.string(), reason: z.string() });
export type CatalogWarning = z.infer<typeof catalogWarningSchema>;

/** `GET /api/nim/models`. */
export const modelsResponseSchema = z.object({
  state: catalogStateSchema,
  source: catalogSourceSchema,
  /** Valid models sorted by name; tags as stored (order them with contract's `describeTags`). */
  models: z.array(modelEntrySchema),
  warnings: z.array(catalogWarningSchema),
  /** A sentence for people when `state` is not `ready`. */
  message: z.string().optional(),
  /** resourceVersion of the ConfigMap the answer was built from. */
  resourceVersion: z.string().optional(),
});
export type ModelsResponse = z.infer<typeof modelsResponseSchema>;

export const apiProtocolSchema = z.enum(['http', 'grpc']);
export type ApiProtocolName = z.infer<typeof apiProtocolSchema>;

/** One runtime Template and whether it is installed in the applications namespace. */
export const runtimeTemplateInfoSchema = z.object({
  protocol: apiProtocolSchema,
  name: z.string(),
  installed: z.boolean(),
  displayName: z.string().optional(),
});
export type RuntimeTemplateInfo = z.infer<typeof runtimeTemplateInfoSchema>;

/**
 * Whether the installed OdhDashboardConfig CRD can hold `spec.nimConfig` (SPEC §3.1):
 * `unsupported` means the apiserver drops every `nimConfig` field, so none has an effect.
 * `unknown`: the served schema could not be read.
 */
export const nimConfigCrdSchema = z.object({
  state: z.enum(['supported', 'unsupported', 'unknown']),
  /** Why, and what the administrator can do, when `state` is not `supported`. */
  message: z.string().optional(),
});
export type NimConfigCrd = z.infer<typeof nimConfigCrdSchema>;

/** `GET /api/nim/config`. */
export const configResponseSchema = z.object({
  /** False when `disableNIMModelServing` is set. */
  enabled: z.boolean(),
  /** False when `spec.nimConfig.disableKeyValidation` is set: no call to NGC. */
  keyValidation: z.boolean(),
  /**
   * False when `spec.nimConfig.disableKeyCollection` or `spec.nimConfig.disconnected
   * .disableKeyCollection` is set: no key asked, no secrets created.
   */
  keyCollection: z.boolean(),
  applicationsNamespace: z.string(),
  catalogSource: catalogSourceSchema,
  catalogState: catalogStateSchema,
  /** Registry host images are pulled from (`nvcr.io` unless overridden). */
  registry: z.string(),
  templates: z.array(runtimeTemplateInfoSchema),
  nimConfigCrd: nimConfigCrdSchema,
});
export type ConfigResponse = z.infer<typeof configResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Key validation

/** `POST /api/nim/validate-key` body. */
export const validateKeyRequestSchema = z.object({
  apiKey: z.string().min(1, 'is required').max(4096),
});
export type ValidateKeyRequest = z.infer<typeof validateKeyRequestSchema>;

/**
 * Outcome of a key check. `legacy`: not an `nvapi-` personal key (no call made); `invalid`: NGC
 * rejected it; `unreachable`: NGC did not answer in time or kept failing; `failed`: NGC answered
 * something unexpected; `skipped`: validation is disabled by the administrator.
 */
export const keyValidationKindSchema = z.enum([
  'valid',
  'invalid',
  'legacy',
  'unreachable',
  'failed',
  'skipped',
]);
export type KeyValidationKind = z.infer<typeof keyValidationKindSchema>;

/** `POST /api/nim/validate-key` answer (200 for every outcome; 429 when rate-limited). */
export const validateKeyResponseSchema = z.object({
  valid: z.boolean(),
  kind: keyValidationKindSchema,
  message: z.string(),
  suggestion: z.string().optional(),
});
export type ValidateKeyResponse = z.infer<typeof validateKeyResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Deploy request

/** Bounds the backend enforces (the form can use them for its inputs). */
export const DEPLOY_LIMITS = {
  maxReplicas: 50,
  maxGpus: 16,
  /** CPU cores. */
  minCpu: 0.001,
  maxCpu: 256,
  /** Bytes. */
  minMemory: 64 * 1024 ** 2,
  maxMemory: 4 * 1024 ** 4,
  minStorage: 1024 ** 3,
  maxStorage: 100 * 1024 ** 4,
  displayNameMax: 253,
  subPathMax: 1024,
} as const;

const quantityString = z.string().trim().min(1, 'is required').max(64);

function boundedQuantity(
  min: number,
  max: number,
  describe: (bytes: number) => string,
): z.ZodType<string> {
  return quantityString.superRefine((value, ctx) => {
    const parsed = parseQuantity(value);
    if (parsed === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not a Kubernetes quantity (e.g. 500m, 4Gi, 2)`,
      });
    } else if (parsed < min || parsed > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${describe(min)} and ${describe(max)}`,
      });
    }
  });
}

const cpuQuantity = boundedQuantity(DEPLOY_LIMITS.minCpu, DEPLOY_LIMITS.maxCpu, (n) =>
  n < 1 ? `${Math.round(n * 1000)}m` : `${n}`,
);
const memoryQuantity = boundedQuantity(
  DEPLOY_LIMITS.minMemory,
  DEPLOY_LIMITS.maxMemory,
  formatBinary,
);
const storageQuantity = boundedQuantity(
  DEPLOY_LIMITS.minStorage,
  DEPLOY_LIMITS.maxStorage,
  formatBinary,
);

const requestLimitSchema = (quantity: z.ZodType<string>) =>
  z.object({ request: quantity, limit: quantity }).superRefine((value, ctx) => {
    const request = parseQuantity(value.request);
    const limit = parseQuantity(value.limit);
    if (request !== undefined && limit !== undefined && request > limit) {
      ctx.addIssue({
        code: 'custom',
        path: ['request'],
        message: `must not exceed the limit (${value.limit})`,
      });
    }
  });

const dns1123Name = (validate: (name: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const reason = validate(value);
    if (reason !== undefined) ctx.addIssue({ code: 'custom', message: reason });
  });

/** A new PVC `nim-pvc-<name>` for the NIM cache. */
export const newStorageSchema = z.object({
  mode: z.literal('new'),
  size: storageQuantity,
  storageClassName: dns1123Name(validateDns1123Subdomain).optional(),
});

/** An existing PVC of the project, optionally a sub-directory of it. */
export const existingStorageSchema = z.object({
  mode: z.literal('existing'),
  claimName: dns1123Name(validateDns1123Subdomain),
  subPath: z
    .string()
    .max(DEPLOY_LIMITS.subPathMax)
    .refine((value) => !value.startsWith('/') && !value.split('/').includes('..'), {
      message: 'must be a relative path without ".."',
    })
    .optional(),
});

export const storageRequestSchema = z.discriminatedUnion('mode', [
  newStorageSchema,
  existingStorageSchema,
]);
export type StorageRequest = z.infer<typeof storageRequestSchema>;

/** `POST /api/namespaces/:ns/nim/deployments` body. */
export const deployRequestSchema = z
  .object({
    /** What people see; any text. */
    displayName: z.string().trim().min(1, 'is required').max(DEPLOY_LIMITS.displayNameMax),
    /** Name of the ServingRuntime and InferenceService: DNS-1123 label, at most 45 characters. */
    name: dns1123Name(validateDeploymentName),
    /** A model `name` of the catalog. */
    modelName: z.string().min(1, 'is required'),
    /** One of the model's tags. */
    tag: z.string().min(1, 'is required'),
    replicas: z
      .object({
        min: z.number().int().min(0).max(DEPLOY_LIMITS.maxReplicas),
        max: z.number().int().min(1).max(DEPLOY_LIMITS.maxReplicas),
      })
      .superRefine((value, ctx) => {
        if (value.min > value.max) {
          ctx.addIssue({ code: 'custom', path: ['min'], message: 'must not exceed max' });
        }
      }),
    resources: z.object({
      gpus: z.number().int().min(0).max(DEPLOY_LIMITS.maxGpus),
      cpu: requestLimitSchema(cpuQuantity),
      memory: requestLimitSchema(memoryQuantity),
    }),
    storage: storageRequestSchema,
    protocol: apiProtocolSchema,
    /** Expose the model outside the cluster (label `networking.kserve.io/visibility: exposed`). */
    externalRoute: z.boolean(),
    /** Require a token to call the model (`security.opendatahub.io/enable-auth`). */
    tokenAuth: z.boolean(),
    /** The user's NGC personal key; required unless `useExistingKey` or key collection is off. */
    apiKey: z.string().max(4096).optional(),
    /** Keep the key already stored in the project's `nvidia-nim-secrets`. */
    useExistingKey: z.boolean().optional(),
    /**
     * With `apiKey`, when the project stores a different key: `true` replaces it for every NIM
     * deployment of the project (which restart), `false` keeps the stored key and the new
     * deployment uses it. Default `true`. The wizard sends `false` unless it offered to replace.
     */
    replaceStoredKey: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.apiKey !== undefined && value.useExistingKey === true) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiKey'],
        message: 'give either apiKey or useExistingKey, not both',
      });
    }
    if (value.replaceStoredKey === true && value.useExistingKey === true) {
      ctx.addIssue({
        code: 'custom',
        path: ['replaceStoredKey'],
        message: 'only applies to a new apiKey, not to useExistingKey',
      });
    }
  });
export type DeployRequest = z.infer<typeof deployRequestSchema>;

/**
 * Checks a deploy request's shape and the rules that need no cluster (names, quantities, bounds,
 * request ≤ limit). The backend adds the catalog, template, uniqueness and key checks.
 */
export function parseDeployRequest(
  body: unknown,
): { ok: true; value: DeployRequest } | { ok: false; issues: FieldIssue[] } {
  const result = deployRequestSchema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: toFieldIssues(result.error) };
}

/** Turns zod issues into `{ field, message }` with dotted field paths (`(body)` at the root). */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}

// ---------------------------------------------------------------------------------------------
// Deployments

/** Phase of a NIM deployment, derived from the InferenceService's `status.conditions`. */
export const deploymentPhaseSchema = z.enum(['Pending', 'Loading', 'Ready', 'Failed']);
export type DeploymentPhase = z.infer<typeof deploymentPhaseSchema>;

export const deploymentStatusSchema = z.object({
  phase: deploymentPhaseSchema,
  /** The condition's reason (e.g. `ModelLoadFailed`). */
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>;

/** One NIM deployment of a project (a ServingRuntime and its InferenceService). */
export const deploymentSchema = z.object({
  name: z.string(),
  namespace: z.string(),
  displayName: z.string(),
  modelName: z.string(),
  /** Catalog display name of the model, when the model is in the catalog. */
  modelDisplayName: z.string().optional(),
  tag: z.string(),
  image: z.string().optional(),
  replicas: z.object({ min: z.number().int(), max: z.number().int() }),
  /** Unknown when the runtime was not made from a shipped Template. */
  protocol: apiProtocolSchema.optional(),
  /** External URL (`status.url`) when exposed, else the cluster-internal one. */
  url: z.string().optional(),
  internalUrl: z.string().optional(),
  externalRoute: z.boolean(),
  tokenAuth: z.boolean(),
  status: deploymentStatusSchema,
  storage: z
    .object({
      claimName: z.string(),
      subPath: z.string().optional(),
      /** True when this deployment's deploy created the PVC. */
      created: z.boolean(),
      /** The PVC's requested size, when it could be read. */
      size: z.string().optional(),
      /**
       * True when this deployment's InferenceService owns the PVC: the garbage collector deletes it
       * with the last deployment that owns it. False for a PVC no deployment owns (one you made):
       * it is never deleted. Absent when the PVC could not be read.
       */
      owned: z.boolean().optional(),
      /** The other NIM deployments that own the PVC too. */
      sharedWith: z.array(z.string()).optional(),
      /** True when the PVC does not exist (or is being deleted). */
      missing: z.boolean().optional(),
    })
    .optional(),
  resources: z
    .object({
      gpus: z.number().int().optional(),
      cpu: z.object({ request: z.string().optional(), limit: z.string().optional() }),
      memory: z.object({ request: z.string().optional(), limit: z.string().optional() }),
    })
    .optional(),
  /** True when the InferenceService is missing (only the ServingRuntime exists). */
  orphanedRuntime: z.boolean().optional(),
  creationTimestamp: z.string().optional(),
});
export type Deployment = z.infer<typeof deploymentSchema>;

/** `GET /api/namespaces/:ns/nim/deployments`. */
export const deploymentsResponseSchema = z.object({
  deployments: z.array(deploymentSchema),
});
export type DeploymentsResponse = z.infer<typeof deploymentsResponseSchema>;

/** What happened to one object during a deploy. */
export const objectActionSchema = objectRefSchema.extend({
  action: z.enum(['created', 'updated', 'unchanged', 'reused']),
});
export type ObjectAction = z.infer<typeof objectActionSchema>;

/**
 * Which NGC key a new deployment runs with: `request` the key the request sent, `stored` the one
 * the project already had (`useExistingKey`, or another deploy stored a different key meanwhile
 * and `replaceStoredKey` was false, or a rotation replaced it while this deploy ran).
 */
export const keyInUseSchema = z.enum(['request', 'stored']);
export type KeyInUse = z.infer<typeof keyInUseSchema>;

/** `POST /api/namespaces/:ns/nim/deployments` answer (201). */
export const deployResponseSchema = z.object({
  deployment: deploymentSchema,
  objects: z.array(objectActionSchema),
  keyValidation: keyValidationKindSchema.or(z.enum(['not-collected', 'existing-key'])),
  /** Absent when key collection is off. */
  keyInUse: keyInUseSchema.optional(),
  /** Other NIM deployments restarted because this deploy replaced the project's key. */
  restarted: z.array(z.string()).optional(),
  /** Deployments that could not be restarted onto the new key, with why (restart them by hand). */
  restartFailed: z.array(z.object({ name: z.string(), message: z.string() })).optional(),
});
export type DeployResponse = z.infer<typeof deployResponseSchema>;

/** `DELETE /api/namespaces/:ns/nim/deployments/:name` answer (200). */
export const deleteResponseSchema = z.object({
  deleted: z.array(objectRefSchema),
  kept: z.array(objectRefSchema.extend({ reason: z.string() })),
  /**
   * Objects this deployment was the last owner of: the garbage collector deletes them in a
   * moment (the cache PVC it owned, the project's secrets after its last NIM deployment).
   */
  collected: z.array(objectRefSchema).optional(),
});
export type DeleteResponse = z.infer<typeof deleteResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Project key

/** `GET /api/namespaces/:ns/nim/api-key`: whether the project has a stored key (never the value). */
export const apiKeyStatusResponseSchema = z.object({
  exists: z.boolean(),
  /** Both secrets present (`nvidia-nim-secrets` and `nvidia-nim-image-pull`). */
  complete: z.boolean().optional(),
});
export type ApiKeyStatusResponse = z.infer<typeof apiKeyStatusResponseSchema>;

/** `PUT /api/namespaces/:ns/nim/api-key` body. */
export const rotateKeyRequestSchema = z.object({
  apiKey: z.string().min(1, 'is required').max(4096),
});
export type RotateKeyRequest = z.infer<typeof rotateKeyRequestSchema>;

/** `PUT /api/namespaces/:ns/nim/api-key` answer. */
export const rotateKeyResponseSchema = z.object({
  secrets: z.array(objectActionSchema),
  /** NIM deployments given a restart annotation. */
  restarted: z.array(z.string()),
  /** Deployments that could not be restarted, with why. */
  failed: z.array(z.object({ name: z.string(), message: z.string() })),
  keyValidation: keyValidationKindSchema,
  /** False when the project already had this key: nothing was written or restarted. */
  changed: z.boolean().optional(),
});
export type RotateKeyResponse = z.infer<typeof rotateKeyResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Projects and identity

export const projectSchema = z.object({
  name: z.string(),
  displayName: z.string().optional(),
  description: z.string().optional(),
});
export type Project = z.infer<typeof projectSchema>;

/** `GET /api/projects`: namespaces the caller may list; empty with a message when forbidden. */
export const projectsResponseSchema = z.object({
  projects: z.array(projectSchema),
  message: z.string().optional(),
});
export type ProjectsResponse = z.infer<typeof projectsResponseSchema>;

/** `GET /api/whoami`. */
export const whoamiResponseSchema = z.object({
  username: z.string(),
  groups: z.array(z.string()),
});
export type WhoamiResponse = z.infer<typeof whoamiResponseSchema>;

/** Path parameters. */
export const namespaceParamsSchema = z.object({
  ns: dns1123Name((ns) => validateDns1123Label(ns)),
});
export const deploymentParamsSchema = namespaceParamsSchema.extend({
  name: dns1123Name(validateDeploymentName),
});

function formatBinary(bytes: number): string {
  const units: [string, number][] = [
    ['Ti', 1024 ** 4],
    ['Gi', 1024 ** 3],
    ['Mi', 1024 ** 2],
  ];
  for (const [unit, size] of units) {
    if (bytes >= size) return `${+(bytes / size).toFixed(2)}${unit}`;
  }
  return `${bytes}`;
}
