import type {
  ResourceRequirements,
  ServingRuntimeObject,
  TemplateObject,
  Volume,
  VolumeMount,
} from './k8s-types.js';
import {
  ANNOTATIONS,
  LABELS,
  NGC_API_KEY_ENV,
  NIM_PULL_SECRET_NAME,
  NIM_SECRET_NAME,
  RUNTIME_TEMPLATE_GRPC,
  RUNTIME_TEMPLATE_HTTP,
} from './names.js';

export type ApiProtocol = 'http' | 'grpc';

export const NIM_CONTAINER_NAME = 'kserve-container';
export const NIM_CACHE_VOLUME = 'nim-pvc';
export const NIM_CACHE_MOUNT_PATH = '/mnt/models/cache';
/** Placeholders the dashboard replaces at deploy (SPEC §2.2). */
export const MODEL_FORMAT_PLACEHOLDER = 'replace-me';
export const PVC_PLACEHOLDER = 'nim-pvc';

/** The Template's default resources: requests cpu 1 / 4Gi / 2 GPUs, limits cpu 2 / 8Gi / 2 GPUs. */
export const DEFAULT_NIM_RESOURCES: ResourceRequirements = {
  requests: { cpu: '1', memory: '4Gi', 'nvidia.com/gpu': '2' },
  limits: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '2' },
};

/** Writable directories NIM 2.x needs on a read-only root filesystem. */
const NIM_SCRATCH_DIRS: readonly [volume: string, mountPath: string][] = [
  ['nim-workspace', '/opt/nim/workspace'],
  ['nim-home-cache', '/.cache'],
  ['nim-nginx', '/opt/nim/nginx'],
  ['nim-generated-configs', '/opt/nim/generated_configs'],
  ['nim-cache', '/opt/nim/.cache'],
  ['nim-config', '/opt/nim/.config'],
  ['nim-triton', '/opt/nim/.triton'],
];

const PROTOCOLS = {
  http: {
    templateName: RUNTIME_TEMPLATE_HTTP,
    displayName: 'NVIDIA NIM serving runtime (HTTP)',
    apiProtocol: 'REST',
    port: { containerPort: 8000, protocol: 'TCP' as const },
  },
  grpc: {
    templateName: RUNTIME_TEMPLATE_GRPC,
    displayName: 'NVIDIA NIM serving runtime (gRPC)',
    apiProtocol: 'gRPC',
    port: { containerPort: 8001, name: 'h2c', protocol: 'TCP' as const },
  },
} as const;

/** Name of the shipped Template for a protocol. */
export function runtimeTemplateName(protocol: ApiProtocol): string {
  return PROTOCOLS[protocol].templateName;
}

/** The protocol a shipped Template serves, or `undefined` for any other Template. */
export function protocolOfTemplate(templateName: string): ApiProtocol | undefined {
  if (templateName === RUNTIME_TEMPLATE_HTTP) return 'http';
  if (templateName === RUNTIME_TEMPLATE_GRPC) return 'grpc';
  return undefined;
}

function buildRuntimeObject(protocol: ApiProtocol): ServingRuntimeObject {
  const { templateName, port } = PROTOCOLS[protocol];
  const volumes: Volume[] = [
    { name: NIM_CACHE_VOLUME, persistentVolumeClaim: { claimName: PVC_PLACEHOLDER } },
    { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '16Gi' } },
    ...NIM_SCRATCH_DIRS.map(([name]) => ({ name, emptyDir: {} })),
  ];
  const volumeMounts: VolumeMount[] = [
    { name: NIM_CACHE_VOLUME, mountPath: NIM_CACHE_MOUNT_PATH },
    { name: 'shm', mountPath: '/dev/shm' },
    ...NIM_SCRATCH_DIRS.map(([name, mountPath]) => ({ name, mountPath })),
  ];
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: {
      name: templateName,
      labels: { [LABELS.dashboard]: 'true' },
      annotations: {
        [ANNOTATIONS.recommendedAccelerators]: '["nvidia.com/gpu"]',
        [ANNOTATIONS.nimRuntime]: 'true',
        [ANNOTATIONS.displayName]: 'NVIDIA NIM',
      },
    },
    spec: {
      annotations: { 'prometheus.io/path': '/v1/metrics', 'prometheus.io/port': '8000' },
      multiModel: false,
      protocolVersions: ['grpc-v2', 'v2'],
      supportedModelFormats: [{ name: MODEL_FORMAT_PLACEHOLDER }],
      containers: [
        {
          name: NIM_CONTAINER_NAME,
          image: '',
          ports: [{ ...port }],
          env: [
            { name: 'NIM_CACHE_PATH', value: NIM_CACHE_MOUNT_PATH },
            {
              name: NGC_API_KEY_ENV,
              valueFrom: { secretKeyRef: { name: NIM_SECRET_NAME, key: NGC_API_KEY_ENV } },
            },
          ],
          resources: structuredClone(DEFAULT_NIM_RESOURCES),
          volumeMounts,
        },
      ],
      imagePullSecrets: [{ name: NIM_PULL_SECRET_NAME }],
      volumes,
    },
  };
}

/** The static runtime Template shipped in `manifests/` for a protocol (SPEC §2.2). */
export function buildRuntimeTemplate(protocol: ApiProtocol): TemplateObject {
  const { templateName, displayName, apiProtocol } = PROTOCOLS[protocol];
  return {
    apiVersion: 'template.openshift.io/v1',
    kind: 'Template',
    metadata: {
      name: templateName,
      labels: { [LABELS.dashboard]: 'true', [LABELS.ootb]: 'true' },
      annotations: {
        [ANNOTATIONS.modelServingSupport]: '["single"]',
        [ANNOTATIONS.apiProtocol]: apiProtocol,
        [ANNOTATIONS.displayName]: displayName,
        description: `NVIDIA NIM inference microservice, ${apiProtocol} endpoint. The dashboard sets the model image, cache volume and resources at deploy.`,
        tags: 'nvidia,nim,servingruntime',
      },
    },
    objects: [buildRuntimeObject(protocol)],
    parameters: [],
  };
}
