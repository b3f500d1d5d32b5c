import {
  ApiextensionsV1Api,
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

/** `apiVersion` of each kind, for objects the upgrade creates. */
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

const listSchema = z.looseObject({ items: z.array(z.unknown()).optional() });
const mergePatchOptions = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const DRY_RUN_ALL = 'All';

function dryRunParam(options: WriteOptions): { dryRun?: string } {
  return options.dryRun ? { dryRun: DRY_RUN_ALL } : {};
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

  async function list(
    kind: ResourceKind,
    options: { namespace?: string | undefined; labelSelector?: string | undefined } = {},
  ): Promise<KubeObject[]> {
    const { namespace, labelSelector } = options;
    const selector = labelSelector ? { labelSelector } : {};
    if (isCustomKind(kind)) {
      const { group, version, plural, clusterScoped } = CUSTOM_KINDS[kind];
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
        return toObjects(await extensions.listCustomResourceDefinition(selector));
    }
  }

  async function read(ref: ObjectRef): Promise<unknown> {
    const { kind, name } = ref;
    if (isCustomKind(kind)) {
      const { group, version, plural, clusterScoped } = CUSTOM_KINDS[kind];
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
        return extensions.readCustomResourceDefinition({ name });
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
    const dryRun = dryRunParam(options);
    const namespace = body.metadata.namespace;
    let created: unknown;
    if (isCustomKind(kind)) {
      const { group, version, plural, clusterScoped } = CUSTOM_KINDS[kind];
      created = clusterScoped
        ? await custom.createClusterCustomObject({ group, version, plural, body, ...dryRun })
        : await custom.createNamespacedCustomObject({
            group,
            version,
            plural,
            body,
            namespace: requireNamespace({ kind, namespace }),
            ...dryRun,
          });
    } else if (kind === 'Secret') {
      created = await core.createNamespacedSecret({
        namespace: requireNamespace({ kind, namespace }),
        body: asCoreBody<V1Secret>(body),
        ...dryRun,
      });
    } else if (kind === 'ConfigMap') {
      created = await core.createNamespacedConfigMap({
        namespace: requireNamespace({ kind, namespace }),
        body: asCoreBody<V1ConfigMap>(body),
        ...dryRun,
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
    const dryRun = dryRunParam(options);
    let patched: unknown;
    if (isCustomKind(kind)) {
      const { group, version, plural, clusterScoped } = CUSTOM_KINDS[kind];
      patched = clusterScoped
        ? await custom.patchClusterCustomObject(
            { group, version, plural, name, body, ...dryRun },
            mergePatchOptions,
          )
        : await custom.patchNamespacedCustomObject(
            { group, version, plural, name, body, namespace: requireNamespace(ref), ...dryRun },
            mergePatchOptions,
          );
    } else {
      switch (kind) {
        case 'Secret':
          patched = await core.patchNamespacedSecret(
            { name, namespace: requireNamespace(ref), body, ...dryRun },
            mergePatchOptions,
          );
          break;
        case 'ConfigMap':
          patched = await core.patchNamespacedConfigMap(
            { name, namespace: requireNamespace(ref), body, ...dryRun },
            mergePatchOptions,
          );
          break;
        case 'CronJob':
          patched = await batch.patchNamespacedCronJob(
            { name, namespace: requireNamespace(ref), body, ...dryRun },
            mergePatchOptions,
          );
          break;
        case 'Job':
          patched = await batch.patchNamespacedJob(
            { name, namespace: requireNamespace(ref), body, ...dryRun },
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
        const { group, version, plural, clusterScoped } = CUSTOM_KINDS[kind];
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

  return { list, get, create, mergePatch, delete: remove };
}
