import {
  buildInferenceService,
  buildNimCachePvc,
  buildNimSecrets,
  buildRuntimeTemplate,
  buildServingRuntime,
  nimPvcName,
  type ModelEntry,
  type ResourceRequirements,
  type SecretObject,
  type TemplateObject,
} from '@odh-nim/contract';
import YAML from 'yaml';

import type { DeployRequest, ObjectRef } from '../../api/types.js';

/** What the review shows in place of every secret value. */
export const REDACTED = '<redacted>';

// Builders need a key to fill the secrets; the preview never sees the user's real one.
const PREVIEW_KEY = 'nvapi-preview';

/** One object the deploy will create, as YAML for the review step. */
export interface PreviewObject {
  kind: ObjectRef['kind'];
  name: string;
  yaml: string;
}

/** A copy of a Secret with every data value replaced by {@link REDACTED}. */
export function redactSecret(secret: SecretObject): SecretObject {
  return {
    ...secret,
    data: Object.fromEntries(Object.keys(secret.data).map((key) => [key, REDACTED])),
  };
}

/** The requests and limits a deploy asks for (the GPU count in both, none when it is 0). */
export function buildResources(resources: DeployRequest['resources']): ResourceRequirements {
  const gpu = resources.gpus > 0 ? { 'nvidia.com/gpu': String(resources.gpus) } : {};
  return {
    requests: { cpu: resources.cpu.request, memory: resources.memory.request, ...gpu },
    limits: { cpu: resources.cpu.limit, memory: resources.memory.limit, ...gpu },
  };
}

export interface PreviewContext {
  namespace: string;
  model: Pick<ModelEntry, 'name' | 'namespace'>;
  /** Registry override from `/api/nim/config`. */
  registry?: string | undefined;
  /** False when the administrator turned key collection off: no secrets are created. */
  keyCollection: boolean;
  /** The installed Template; defaults to the one the project ships for the protocol. */
  template?: TemplateObject;
}

/**
 * Every object the deploy of `request` creates, in creation order, with the same builders the
 * backend uses. Secrets appear only when a new key is stored, and always redacted: the typed key
 * is not even passed to the builders.
 */
export function buildPreviewObjects(
  request: DeployRequest,
  context: PreviewContext,
): PreviewObject[] {
  const objects: { kind: ObjectRef['kind']; name: string; body: unknown }[] = [];
  if (context.keyCollection && request.useExistingKey !== true) {
    for (const secret of buildNimSecrets({
      namespace: context.namespace,
      apiKey: PREVIEW_KEY,
      registry: context.registry,
    })) {
      objects.push({ kind: 'Secret', name: secret.metadata.name, body: redactSecret(secret) });
    }
  }
  const claimName =
    request.storage.mode === 'new' ? nimPvcName(request.name) : request.storage.claimName;
  if (request.storage.mode === 'new') {
    const pvc = buildNimCachePvc({
      deploymentName: request.name,
      namespace: context.namespace,
      displayName: request.displayName,
      size: request.storage.size,
      storageClassName: request.storage.storageClassName,
    });
    objects.push({ kind: 'PersistentVolumeClaim', name: pvc.metadata.name, body: pvc });
  }
  const resources = buildResources(request.resources);
  const runtime = buildServingRuntime({
    template: context.template ?? buildRuntimeTemplate(request.protocol),
    name: request.name,
    namespace: context.namespace,
    displayName: request.displayName,
    model: context.model,
    tag: request.tag,
    registry: context.registry,
    resources,
    storage: {
      claimName,
      subPath: request.storage.mode === 'existing' ? request.storage.subPath : undefined,
    },
    keyCollection: context.keyCollection,
  });
  objects.push({ kind: 'ServingRuntime', name: request.name, body: runtime });
  const inferenceService = buildInferenceService({
    name: request.name,
    namespace: context.namespace,
    displayName: request.displayName,
    modelName: context.model.name,
    runtimeName: request.name,
    minReplicas: request.replicas.min,
    maxReplicas: request.replicas.max,
    resources,
    externalRoute: request.externalRoute,
    tokenAuth: request.tokenAuth,
  });
  objects.push({ kind: 'InferenceService', name: request.name, body: inferenceService });
  return objects.map(({ kind, name, body }) => ({
    kind,
    name,
    yaml: YAML.stringify(body, { lineWidth: 0 }),
  }));
}
