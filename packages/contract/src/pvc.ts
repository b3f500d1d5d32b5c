import type { PersistentVolumeClaimObject } from './k8s-types.js';
import { ANNOTATIONS, LABELS, NIM_PVC_PREFIX } from './names.js';

/** Name of the cache PVC the dashboard creates for a deployment. */
export function nimPvcName(deploymentName: string): string {
  return `${NIM_PVC_PREFIX}${deploymentName}`;
}

export interface NimCachePvcParams {
  deploymentName: string;
  namespace: string;
  displayName: string;
  size: string;
  storageClassName?: string | undefined;
}

/** The PVC that holds a NIM's downloaded model cache. */
export function buildNimCachePvc(params: NimCachePvcParams): PersistentVolumeClaimObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: nimPvcName(params.deploymentName),
      namespace: params.namespace,
      labels: { [LABELS.dashboard]: 'true' },
      annotations: { [ANNOTATIONS.displayName]: `${params.displayName} NIM cache` },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: params.size } },
      ...(params.storageClassName ? { storageClassName: params.storageClassName } : {}),
      volumeMode: 'Filesystem',
    },
  };
}
