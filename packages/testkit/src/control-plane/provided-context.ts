import type { ControlPlaneInfo } from './control-plane.js';

/** The key under which the vitest global setup provides the shared control plane. */
export const CONTROL_PLANE_KEY = 'odh-nim/control-plane';

/** The key under which it provides which CRDs the shared control plane has. */
export const CRD_SET_KEY = 'odh-nim/crd-set';

/** The CRDs of the shared control plane (serialisable). */
export interface CrdSetInfo {
  /** `upstream` or `project` (see `selectCrdSet`). */
  readonly name: 'upstream' | 'project';
  readonly label: string;
  /** Names of the product's CRD patches applied on top (see `CRD_PATCHES`). */
  readonly patches: readonly string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    'odh-nim/control-plane': ControlPlaneInfo;
    'odh-nim/crd-set': CrdSetInfo;
  }
}
