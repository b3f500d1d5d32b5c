import { ContractError } from './errors.js';
import { buildImageReference } from './image.js';
import type { ResourceRequirements, ServingRuntimeObject, TemplateObject } from './k8s-types.js';
import type { ModelEntry } from './model-entry.js';
import { ANNOTATIONS, LABELS, NGC_API_KEY_ENV, NIM_PULL_SECRET_NAME } from './names.js';
import { NIM_CACHE_VOLUME, NIM_CONTAINER_NAME } from './runtime-template.js';

/** What the deploy chose, separate from the Template and from any form state. */
export interface ServingRuntimeParams {
  /** The runtime Template as read from the applications namespace. */
  template: TemplateObject;
  name: string;
  namespace: string;
  displayName: string;
  model: Pick<ModelEntry, 'name' | 'namespace'>;
  tag: string;
  registry?: string | undefined;
  resources: ResourceRequirements;
  storage: { claimName: string; subPath?: string | undefined };
  /** False on disconnected clusters: no key env and no pull secret (SPEC §3.1). */
  keyCollection: boolean;
}

/** The ServingRuntime object of a Template, or a ContractError saying what is missing. */
export function findTemplateRuntime(template: TemplateObject): ServingRuntimeObject {
  const runtime = template.objects?.find((object) => object?.kind === 'ServingRuntime');
  if (!runtime) {
    throw new ContractError(
      'invalid-template',
      `Template ${template.metadata?.name ?? '(unnamed)'} has no ServingRuntime in objects.`,
    );
  }
  if (!runtime.spec?.containers?.some((c) => c.name === NIM_CONTAINER_NAME)) {
    throw new ContractError(
      'invalid-template',
      `Template ${template.metadata.name} has no container named ${NIM_CONTAINER_NAME}.`,
    );
  }
  return runtime;
}

/**
 * The ServingRuntime of SPEC §2.4: the Template's object, renamed to the deployment, with the
 * model image, model format, cache claim and resources set. Fields it does not set are kept.
 */
export function buildServingRuntime(params: ServingRuntimeParams): ServingRuntimeObject {
  const { template, name, namespace, model, tag } = params;
  const runtime = structuredClone(findTemplateRuntime(template));
  runtime.metadata = {
    ...runtime.metadata,
    name,
    namespace,
    labels: { ...runtime.metadata.labels, [LABELS.dashboard]: 'true' },
    annotations: {
      ...runtime.metadata.annotations,
      [ANNOTATIONS.templateName]: template.metadata.name,
      [ANNOTATIONS.templateDisplayName]:
        template.metadata.annotations?.[ANNOTATIONS.displayName] ?? template.metadata.name,
      [ANNOTATIONS.displayName]: params.displayName,
    },
  };
  runtime.spec.supportedModelFormats = [
    { name: model.name, version: tag, autoSelect: false, priority: 1 },
  ];
  for (const container of runtime.spec.containers) {
    if (container.name !== NIM_CONTAINER_NAME) continue;
    container.image = buildImageReference(model, tag, { registry: params.registry });
    container.resources = structuredClone(params.resources);
    container.volumeMounts = container.volumeMounts.map((mount) =>
      mount.name === NIM_CACHE_VOLUME && params.storage.subPath
        ? { ...mount, subPath: params.storage.subPath }
        : mount,
    );
    if (!params.keyCollection) {
      container.env = container.env.filter((env) => env.name !== NGC_API_KEY_ENV);
    }
  }
  runtime.spec.volumes = runtime.spec.volumes.map((volume) =>
    volume.name === NIM_CACHE_VOLUME
      ? { ...volume, persistentVolumeClaim: { claimName: params.storage.claimName } }
      : volume,
  );
  if (!params.keyCollection) {
    const pullSecrets = (runtime.spec.imagePullSecrets ?? []).filter(
      (secret) => secret.name !== NIM_PULL_SECRET_NAME,
    );
    if (pullSecrets.length > 0) runtime.spec.imagePullSecrets = pullSecrets;
    else delete runtime.spec.imagePullSecrets;
  }
  return runtime;
}
