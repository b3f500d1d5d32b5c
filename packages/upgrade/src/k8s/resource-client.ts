import {
  ApiextensionsV1Api,
  ApisApi,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1ConfigMap,
  type V1DeleteOptions,
  type V1Secret,
} from '@kubernetes/client-node';
import { API } from '@odh-nim/contract';
import { z } from 'zod';

import { isNotFound } from './api-errors.js';
import { kubeObjectSchema, toPlainObject, type KubeObject } from './objects.js';

/** Every kind the upgrade reads or writes. */
export type ResourceKind =
  | 'Namespace'
  | 'Secret'
  | 'ConfigMap'
  | 'Pod'
  | 'PersistentVolumeClaim'
  | 'CronJob'
  | 'Job'
  | 'CustomResourceDefinition'
  | 'Template'
  | 'ServingRuntime'
  | 'InferenceService'
  | 'Account'
  | 'DataScienceCluster'
  | 'DSCInitialization'
  | 'OdhDashboardConfig';

/** Points at one object; `namespace` is absent for cluster-scoped kinds. */
export interface ObjectRef {
  kind: ResourceKind;
  namespace?: string;
  name: string;
}

/** Options of every mutating call: a dry run is sent to the apiserver as `dryRun=All`. */
export interface WriteOptions {
  dryRun: boolean;
}

/** Options of a delete: `uid` makes it a precondition, so a re-created namesake is never hit. */
export interface DeleteOptions extends WriteOptions {
  uid?: string | undefined;
}

/**
 * The few verbs the upgrade needs over every kind it touches. One implementation talks to the
 * apiserver ({@link createResourceClient}); tests may substitute another.
 */
export interface ResourceClient {
  /** Objects of a kind; in one namespace, or all namespaces when `namespace` is absent. */
  list(
    kind: ResourceKind,
    options?: { namespace?: string | undefined; labelSelector?: string | undefined },
  ): Promise<KubeObject[]>;
  /** One object, or undefined when it does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  create(kind: ResourceKind, body: KubeObject, options: WriteOptions): Promise<KubeObject>;
  /** JSON merge patch (RFC 7386); put `metadata.resourceVersion` in it for optimistic locking. */
  mergePatch(ref: ObjectRef, patch: object, options: WriteOptions): Promise<KubeObject>;
  /** Deletes in the background; `not-found` when it was already gone (which is success). */
  delete(ref: ObjectRef, options: DeleteOptions): Promise<'deleted' | 'not-found'>;
  /**
   * `group/version` the client uses for a kind: for the OpenDataHub kinds served in several
   * versions, the one the cluster prefers (discovery); for the others the contract's.
   */
  apiVersionOf(kind: ResourceKind): Promise<string>;
}

type CustomKind = Exclude<
  ResourceKind,
  | 'Namespace'
  | 'Secret'
  | 'ConfigMap'
  | 'Pod'
  | 'PersistentVolumeClaim'
  | 'CronJob'
  | 'Job'
  | 'CustomResourceDefinition'
>;

const CUSTOM_KINDS: Record<
  CustomKind,
  { group: string; version: string; plural: string; clusterScoped: boolean }
> = {
  Template: { ...API.template, clusterScoped: false },
  ServingRuntime: { ...API.servingRuntime, clusterScoped: false },
  InferenceService: { ...API.inferenceService, clusterScoped: false },
  Account: { ...API.account, clusterScoped: false },
  DataScienceCluster: { ...API.dataScienceCluster, clusterScoped: true },
  DSCInitialization: { ...API.dscInitialization, clusterScoped: true },
  OdhDashboardConfig: { ...API.dashboardConfig, clusterScoped: false },
};

/**
 * Kinds OpenDataHub serves in several versions (DataScienceCluster v1 and v2, v2 stored): the
 * client asks discovery which one the cluster prefers, so it works where only v1 is served too.
 */
const DISCOVERED_KINDS: ReadonlySet<ResourceKind> = new Set([
  'DataScienceCluster',
  'DSCInitialization',
]);

/** `apiVersion` of each kind as the contract names it, for objects the upgrade creates. */
export function apiVersionOf(kind: ResourceKind): string {
  if (isCustomKind(kind)) {
    const { group, version } = CUSTOM_KINDS[kind];
    return `${group}/${version}`;
  }
  if (kind === 'CronJob' || kind === 'Job') return 'batch/v1';
  if (kind === 'CustomResourceDefinition') return 'apiextensions.k8s.io/v1';
  return 'v1';
}

function isCustomKind(kind: ResourceKind): kind is CustomKind {
  return kind in CUSTOM_KINDS;
}

/**
 * NB: CRDs are read as plain JSON through the custom-objects client: the typed client's models
 * rename `x-kubernetes-preserve-unknown-fields` and friends, which the schema checks read.
 */
const CRD_RESOURCE = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
} as const;

const listSchema = z.looseObject({ items: z.array(z.unknown()).optional() });
const mergePatchOptions = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const DRY_RUN_ALL = 'All';
/** Recorded in `managedFields` for every write of the upgrade. */
export const FIELD_MANAGER = 'nim-upgrade';

function dryRunParam(options: WriteOptions): { dryRun?: string } {
  return options.dryRun ? { dryRun: DRY_RUN_ALL } : {};
}

/**
 * The query of every create and patch. NB: `Strict` makes a field the schema lacks a 400
 * instead of a silent prune, so nothing is reported as written that the apiserver dropped.
 */
function writeParams(options: WriteOptions): {
  dryRun?: string;
  fieldManager: string;
  fieldValidation: 'Strict';
} {
  return { ...dryRunParam(options), fieldManager: FIELD_MANAGER, fieldValidation: 'Strict' };
}

/**
 * NB: when a DELETE carries a body, the apiserver reads its options from the body only and
 * ignores the query: `dryRun` and `propagationPolicy` must be in the body too, or a dry run
 * deletes for real and a Job is orphaned (its default policy).
 */
function deleteBody(options: DeleteOptions): { body: V1DeleteOptions } {
  return {
    body: {
      propagationPolicy: 'Background',
      ...(options.dryRun ? { dryRun: [DRY_RUN_ALL] } : {}),
      ...(options.uid ? { preconditions: { uid: options.uid } } : {}),
    },
  };
}

/**
 * NB: the generated serializers expect `Date` objects where metadata holds timestamps; bodies
 * the upgrade builds carry none, so the plain object is what the typed call would send anyway.
 */
function asCoreBody<T>(body: KubeObject): T {
  return body as unknown as T;
}

function toObjects(list: unknown): KubeObject[] {
  const items = toPlainObject(listSchema, list).items ?? [];
  return items.map((item) => toPlainObject(kubeObjectSchema, item));
}

function requireNamespace(ref: { kind: ResourceKind; namespace?: string | undefined }): string {
  if (!ref.namespace) throw new Error(`${ref.kind} is namespaced: a namespace is required.`);
  return ref.namespace;
}

/**
 * A {@link ResourceClient} over `@kubernetes/client-node`: CoreV1Api, BatchV1Api,
 * ApiextensionsV1Api for built-in kinds, CustomObjectsApi for the CRDs.
 */
export function createResourceClient(kubeConfig: KubeConfig): ResourceClient {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const batch = kubeConfig.makeApiClient(BatchV1Api);
  const extensions = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  let preferred: Promise<ReadonlyMap<string, string>> | undefined;

  /** The group, version and plural of a custom kind, its version from discovery if it has one. */
  async function resourceOf(
    kind: CustomKind,
  ): Promise<{ group: string; version: string; plural: string; clusterScoped: boolean }> {
    const resource = CUSTOM_KINDS[kind];
    if (!DISCOVERED_KINDS.has(kind)) return resource;
    preferred ??= getPreferredVersions(kubeConfig.makeApiClient(ApisApi));
    return { ...resource, version: (await preferred).get(resource.group) ?? resource.version };
  }

  async function discoveredApiVersion(kind: ResourceKind): Promise<string> {
    if (!isCustomKind(kind)) return apiVersionOf(kind);
    const { group, version } = await resourceOf(kind);
    return `${group}/${version}`;
  }

  async function list(
    kind: ResourceKind,
    options: { namespace?: string | undefined; labelSelector?: string | undefined } = {},
  ): Promise<KubeObject[]> {
    const { namespace, labelSelector } = options;
    const selector = labelSelector ? { labelSelector } : {};
    if (isCustomKind(kind)) {
      const { group, version, plural, clusterScoped } = await resourceOf(kind);
      return toObjects(
        namespace && !clusterScoped
          ? await custom.listNamespacedCustomObject({
              group,
              version,
              plural,
              namespace,
              ...selector,
            })
          : await custom.listClusterCustomObject({ group, version, plural, ...selector }),
      );
    }
    switch (kind) {
      case 'Namespace':
        return toObjects(await core.listNamespace(selector));
      case 'Secret':
        return toObjects(
          namespace
            ? await core.listNamespacedSecret({ namespace, ...selector })
            : await core.listSecretForAllNamespaces(selector),
        );
      case 'ConfigMap':
        return toObjects(
          namespace
            ? await core.listNamespacedConfigMap({ namespace, ...selector })
            : await core.listConfigMapForAllNamespaces(selector),
        );
      case 'Pod':
        return toObjects(
          namespace
            ? await core.listNamespacedPod({ namespace, ...selector })
            : await core.listPodForAllNamespaces(selector),
        );
      case 'PersistentVolumeClaim':
        return toObjects(
          namespace
            ? await core.listNamespacedPersistentVolumeClaim({ namespace, ...selector })
            : await core.listPersistentVolumeClaimForAllNamespaces(selector),
        );
      case 'CronJob':
        return toObjects(
          namespace
            ? await batch.listNamespacedCronJob({ namespace, ...selector })
            : await batch.listCronJobForAllNamespaces(selector),
        );
      case 'Job':
        return toObjects(
          namespace
            ? await batch.listNamespacedJob({ namespace, ...selector })
            : await batch.listJobForAllNamespaces(selector),
        );
      case 'CustomResourceDefinition':
        return toObjects(await custom.listClusterCustomObject({ ...CRD_RESOURCE, ...selector }));
    }
  }

  async function read(ref: ObjectRef): Promise<unknown> {
    const { kind, name } = ref;
    if (isCustomKind(kind)) {
      const { group, version, plural, clusterScoped } = await resourceOf(kind);
      return clusterScoped
        ? custom.getClusterCustomObject({ group, version, plural, name })
        : custom.getNamespacedCustomObject({
            group,
            version,
            plural,
            name,
            namespace: requireNamespace(ref),
          });
    }
    switch (kind) {
      case 'Namespace':
        return core.readNamespace({ name });
      case 'Secret':
        return core.readNamespacedSecret({ name, namespace: requireNamespace(ref) });
      case 'ConfigMap':
        return core.readNamespacedConfigMap({ name, namespace: requireNamespace(ref) });
      case 'Pod':
        return core.readNamespacedPod({ name, namespace: requireNamespace(ref) });
      case 'PersistentVolumeClaim':
        return core.readNamespacedPersistentVolumeClaim({ name, namespace: requireNamespace(ref) });
      case 'CronJob':
        return batch.readNamespacedCronJob({ name, namespace: requireNamespace(ref) });
      case 'Job':
        return batch.readNamespacedJob({ name, namespace: requireNamespace(ref) });
      case 'CustomResourceDefinition':
        return custom.getClusterCustomObject({ ...CRD_RESOURCE, name });
    }
  }

  async function get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return toPlainObject(kubeObjectSchema, await read(ref));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async function create(
    kind: ResourceKind,
    body: KubeObject,
    options: WriteOptions,
  ): Promise<KubeObject> {
    const params = writeParams(options);
    const namespace = body.metadata.namespace;
    let created: unknown;
    if (isCustomKind(kind)) {
      const { group, version, plural, clusterScoped } = await resourceOf(kind);
      created = clusterScoped
        ? await custom.createClusterCustomObject({ group, version, plural, body, ...params })
        : await custom.createNamespacedCustomObject({
            group,
            version,
            plural,
            body,
            namespace: requireNamespace({ kind, namespace }),
            ...params,
          });
    } else if (kind === 'Secret') {
      created = await core.createNamespacedSecret({
        namespace: requireNamespace({ kind, namespace }),
        body: asCoreBody<V1Secret>(body),
        ...params,
      });
    } else if (kind === 'ConfigMap') {
      created = await core.createNamespacedConfigMap({
        namespace: requireNamespace({ kind, namespace }),
        body: asCoreBody<V1ConfigMap>(body),
        ...params,
      });
    } else {
      throw new Error(`Creating a ${kind} is not supported by the upgrade.`);
    }
    return toPlainObject(kubeObjectSchema, created);
  }

  async function mergePatch(
    ref: ObjectRef,
    body: object,
    options: WriteOptions,
  ): Promise<KubeObject> {
    const { kind, name } = ref;
    const params = writeParams(options);
    let patched: unknown;
    if (isCustomKind(kind)) {
      const { group, version, plural, clusterScoped } = await resourceOf(kind);
      patched = clusterScoped
        ? await custom.patchClusterCustomObject(
            { group, version, plural, name, body, ...params },
            mergePatchOptions,
          )
        : await custom.patchNamespacedCustomObject(
            { group, version, plural, name, body, namespace: requireNamespace(ref), ...params },
            mergePatchOptions,
          );
    } else {
      switch (kind) {
        case 'Secret':
          patched = await core.patchNamespacedSecret(
            { name, namespace: requireNamespace(ref), body, ...params },
            mergePatchOptions,
          );
          break;
        case 'ConfigMap':
          patched = await core.patchNamespacedConfigMap(
            { name, namespace: requireNamespace(ref), body, ...params },
            mergePatchOptions,
          );
          break;
        case 'CronJob':
          patched = await batch.patchNamespacedCronJob(
            { name, namespace: requireNamespace(ref), body, ...params },
            mergePatchOptions,
          );
          break;
        case 'Job':
          patched = await batch.patchNamespacedJob(
            { name, namespace: requireNamespace(ref), body, ...params },
            mergePatchOptions,
          );
          break;
        default:
          throw new Error(`Patching a ${kind} is not supported by the upgrade.`);
      }
    }
    return toPlainObject(kubeObjectSchema, patched);
  }

  async function remove(ref: ObjectRef, options: DeleteOptions): Promise<'deleted' | 'not-found'> {
    const { kind, name } = ref;
    const params = {
      name,
      propagationPolicy: 'Background',
      ...deleteBody(options),
      ...dryRunParam(options),
    };
    try {
      if (isCustomKind(kind)) {
        const { group, version, plural, clusterScoped } = await resourceOf(kind);
        if (clusterScoped)
          await custom.deleteClusterCustomObject({ group, version, plural, ...params });
        else
          await custom.deleteNamespacedCustomObject({
            group,
            version,
            plural,
            namespace: requireNamespace(ref),
            ...params,
          });
        return 'deleted';
      }
      switch (kind) {
        case 'Secret':
          await core.deleteNamespacedSecret({ namespace: requireNamespace(ref), ...params });
          break;
        case 'ConfigMap':
          await core.deleteNamespacedConfigMap({ namespace: requireNamespace(ref), ...params });
          break;
        case 'Pod':
          await core.deleteNamespacedPod({ namespace: requireNamespace(ref), ...params });
          break;
        case 'CronJob':
          await batch.deleteNamespacedCronJob({ namespace: requireNamespace(ref), ...params });
          break;
        case 'Job':
          await batch.deleteNamespacedJob({ namespace: requireNamespace(ref), ...params });
          break;
        case 'CustomResourceDefinition':
          await extensions.deleteCustomResourceDefinition(params);
          break;
        default:
          throw new Error(`Deleting a ${kind} is not supported by the upgrade.`);
      }
      return 'deleted';
    } catch (error) {
      // NB: 404 on delete means someone (or an earlier run) got there first: the goal is met.
      if (isNotFound(error)) return 'not-found';
      throw error;
    }
  }

  return { list, get, create, mergePatch, delete: remove, apiVersionOf: discoveredApiVersion };
}

/**
 * The version each served API group prefers. NB: a failed discovery falls back to the
 * contract's versions (every OpenDataHub release serves v1), rather than stopping the upgrade.
 */
async function getPreferredVersions(apis: ApisApi): Promise<ReadonlyMap<string, string>> {
  try {
    const { groups } = await apis.getAPIVersions();
    return new Map(
      groups.flatMap((group) =>
        group.preferredVersion ? [[group.name, group.preferredVersion.version] as const] : [],
      ),
    );
  } catch {
    return new Map();
  }
}
