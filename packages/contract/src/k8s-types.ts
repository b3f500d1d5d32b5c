/**
 * The slices of Kubernetes and KServe object shapes this project builds. Kept local so the
 * contract stays dependency-free and usable in the browser; fields it does not set are absent.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

/** An owner, for the garbage collector; this project never sets `controller`. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

export interface ResourceList {
  cpu?: string;
  memory?: string;
  'nvidia.com/gpu'?: string;
}

export interface ResourceRequirements {
  requests: ResourceList;
  limits: ResourceList;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
}

export interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string };
  emptyDir?: { medium?: 'Memory'; sizeLimit?: string };
}

export interface Container {
  name: string;
  image: string;
  ports: { containerPort: number; protocol: 'TCP'; name?: string }[];
  env: EnvVar[];
  resources: ResourceRequirements;
  volumeMounts: VolumeMount[];
}

export interface SupportedModelFormat {
  name: string;
  version?: string;
  autoSelect?: boolean;
  priority?: number;
}

export interface ServingRuntimeObject {
  apiVersion: 'serving.kserve.io/v1alpha1';
  kind: 'ServingRuntime';
  metadata: ObjectMeta;
  spec: {
    annotations: Record<string, string>;
    multiModel: boolean;
    protocolVersions: string[];
    supportedModelFormats: SupportedModelFormat[];
    containers: Container[];
    imagePullSecrets?: { name: string }[];
    volumes: Volume[];
  };
}

export interface TemplateObject {
  apiVersion: 'template.openshift.io/v1';
  kind: 'Template';
  metadata: ObjectMeta;
  objects: ServingRuntimeObject[];
  parameters: { name: string; displayName?: string; description?: string; required?: boolean }[];
}

export interface InferenceServiceObject {
  apiVersion: 'serving.kserve.io/v1beta1';
  kind: 'InferenceService';
  metadata: ObjectMeta;
  spec: {
    predictor: {
      minReplicas: number;
      maxReplicas: number;
      /** Annotations of the predictor pods. */
      annotations?: Record<string, string>;
      model: {
        modelFormat: { name: string };
        runtime: string;
        resources: ResourceRequirements;
      };
    };
  };
}

export interface PersistentVolumeClaimObject {
  apiVersion: 'v1';
  kind: 'PersistentVolumeClaim';
  metadata: ObjectMeta;
  spec: {
    accessModes: ['ReadWriteOnce'];
    resources: { requests: { storage: string } };
    storageClassName?: string;
    volumeMode: 'Filesystem';
  };
}
