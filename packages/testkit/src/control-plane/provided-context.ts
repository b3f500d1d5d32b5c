import type { ControlPlaneInfo } from './control-plane.js';

/** The key under which the vitest global setup provides the shared control plane. */
export const CONTROL_PLANE_KEY = 'odh-nim/control-plane';

declare module 'vitest' {
  export interface ProvidedContext {
    'odh-nim/control-plane': ControlPlaneInfo;
  }
}
