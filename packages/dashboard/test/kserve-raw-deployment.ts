// The one step of KServe's controller the cluster tests need: the predictor Deployment of an
// InferenceService in raw deployment mode. KServe's controller cannot be built here, so the
// test does this step itself, as KServe's code does it (kserve/kserve, pkg/controller/v1beta1/
// inferenceservice: components/predictor.go, reconcilers/raw, utils.MergeServingRuntimeAndInferenceServiceSpecs):
//
// - the container: the ServingRuntime's `kserve-container`, strategic-merge-patched with the
//   predictor's `model` container fields (MergeRuntimeContainers): env merged by name,
//   volumeMounts by mountPath, ports by containerPort, resources requests and limits merged
//   key by key, other fields replaced; args concatenated, runtime's first;
// - the pod: the ServingRuntime's pod fields (volumes, imagePullSecrets, nodeSelector,
//   tolerations, affinity, ...) strategic-merge-patched with the predictor's own PodSpec fields
//   (MergePodSpec): volumes and imagePullSecrets merged by name, nodeSelector key by key,
//   tolerations and affinity replaced; the merged container first, then the runtime's others;
// - `{{.Name}}`-style placeholders of the container replaced from the InferenceService's
//   metadata (ReplacePlaceholders);
// - the model server container without a readiness probe gets a TCP one on its first port
//   (reconcilers/deployment setDefaultPodSpec): Ready means the port is open, not the model;
// - a Deployment `<isvc>-predictor` with `minReplicas` replicas, labelled
//   `serving.kserve.io/inferenceservice`, `component: predictor`, `app: isvc.<isvc>-predictor`,
//   the ServingRuntime's and InferenceService's labels and annotations on the pod, and the
//   InferenceService as its controller owner.
import type { V1Container, V1Deployment, V1PodSpec } from '@kubernetes/client-node';

/** An InferenceService or ServingRuntime as read from the apiserver. */
interface Read {
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly uid: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec: Record<string, unknown>;
}

const CONTAINER = 'kserve-container';

/** The PodSpec fields of KServe's PredictorSpec (it embeds a PodSpec inline). */
const POD_FIELDS = [
  'volumes',
  'imagePullSecrets',
  'nodeSelector',
  'tolerations',
  'affinity',
  'serviceAccountName',
  'securityContext',
  'priorityClassName',
  'schedulerName',
  'runtimeClassName',
  'hostIPC',
] as const;

function mergeByKey<T extends object>(
  base: readonly T[] | undefined,
  patch: readonly T[] | undefined,
  key: keyof T,
): T[] | undefined {
  if (!base && !patch) return undefined;
  const merged = [...(base ?? [])];
  for (const item of patch ?? []) {
    const at = merged.findIndex((existing) => existing[key] === item[key]);
    if (at >= 0) merged[at] = { ...merged[at], ...item };
    else merged.push(item);
  }
  return merged;
}

function mergeMaps(
  base: Record<string, string> | undefined,
  patch: Record<string, string> | undefined,
): Record<string, string> | undefined {
  return base || patch ? { ...base, ...patch } : undefined;
}

/** MergeRuntimeContainers. */
export function mergeContainers(
  runtime: V1Container,
  predictor: Partial<V1Container>,
): V1Container {
  const merged: V1Container = { ...runtime, ...predictor, name: predictor.name || runtime.name };
  const env = mergeByKey(runtime.env, predictor.env, 'name');
  const mounts = mergeByKey(runtime.volumeMounts, predictor.volumeMounts, 'mountPath');
  const ports = mergeByKey(runtime.ports, predictor.ports, 'containerPort');
  if (env) merged.env = env;
  if (mounts) merged.volumeMounts = mounts;
  if (ports) merged.ports = ports;
  const requests = mergeMaps(runtime.resources?.requests, predictor.resources?.requests);
  const limits = mergeMaps(runtime.resources?.limits, predictor.resources?.limits);
  if (requests || limits)
    merged.resources = { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
  const args = [...(runtime.args ?? []), ...(predictor.args ?? [])];
  if (args.length > 0) merged.args = args;
  return merged;
}

/** ReplacePlaceholders: the container as JSON is a Go template over the ISVC's metadata. */
function replacePlaceholders(container: V1Container, isvc: Read): V1Container {
  const values: Record<string, string> = {
    Name: isvc.metadata.name,
    Namespace: isvc.metadata.namespace,
  };
  const text = JSON.stringify(container).replace(
    /\{\{\s*\.(\w+)\s*\}\}/g,
    (whole, field: string) => values[field] ?? whole,
  );
  return JSON.parse(text) as V1Container;
}

/** The predictor Deployment KServe's raw mode makes for `isvc` on `runtime`. */
export function predictorDeployment(isvc: Read, runtime: Read): V1Deployment {
  const predictor = (isvc.spec['predictor'] ?? {}) as Record<string, unknown>;
  const {
    modelFormat: _format,
    runtime: _runtime,
    storageUri: _uri,
    protocolVersion: _p,
    ...model
  } = (predictor['model'] ?? {}) as Record<string, unknown>;
  const runtimeSpec = runtime.spec as unknown as V1PodSpec & { containers: V1Container[] };
  const runtimeContainer = runtimeSpec.containers.find((c) => c.name === CONTAINER);
  if (!runtimeContainer)
    throw new Error(`ServingRuntime ${runtime.metadata.name} has no ${CONTAINER}`);
  const container = replacePlaceholders(
    mergeContainers(runtimeContainer, model as Partial<V1Container>),
    isvc,
  );
  container.readinessProbe ??= {
    tcpSocket: { port: container.ports?.[0]?.containerPort ?? 8080 },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  };

  const podPatch = Object.fromEntries(
    POD_FIELDS.filter((field) => predictor[field] !== undefined).map((f) => [f, predictor[f]]),
  ) as Partial<V1PodSpec>;
  const podSpec: V1PodSpec = {
    ...Object.fromEntries(
      POD_FIELDS.filter((f) => runtimeSpec[f] !== undefined).map((f) => [f, runtimeSpec[f]]),
    ),
    ...podPatch,
    containers: [container, ...runtimeSpec.containers.filter((c) => c.name !== CONTAINER)],
  };
  const volumes = mergeByKey(runtimeSpec.volumes, podPatch.volumes, 'name');
  const pullSecrets = mergeByKey(runtimeSpec.imagePullSecrets, podPatch.imagePullSecrets, 'name');
  const nodeSelector = mergeMaps(runtimeSpec.nodeSelector, podPatch.nodeSelector);
  if (volumes) podSpec.volumes = volumes;
  if (pullSecrets) podSpec.imagePullSecrets = pullSecrets;
  if (nodeSelector) podSpec.nodeSelector = nodeSelector;

  const name = `${isvc.metadata.name}-predictor`;
  const selector = { app: `isvc.${name}` };
  const labels = {
    ...isvc.metadata.labels,
    ...selector,
    'serving.kserve.io/inferenceservice': isvc.metadata.name,
    component: 'predictor',
  };
  const runtimeMeta = (runtime.spec['annotations'] ?? {}) as Record<string, string>;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: isvc.metadata.namespace,
      labels,
      ownerReferences: [
        {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          name: isvc.metadata.name,
          uid: isvc.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: Number(predictor['minReplicas'] ?? 1),
      selector: { matchLabels: selector },
      template: {
        metadata: { labels, annotations: { ...runtimeMeta, ...isvc.metadata.annotations } },
        spec: podSpec,
      },
    },
  };
}
