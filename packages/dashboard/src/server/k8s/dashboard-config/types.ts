import { z } from 'zod';

import { MODELS_CONFIGMAP_NAME } from '@odh-nim/contract';

import type { CatalogSource } from '../../../api/types.js';

// NB: hand-edited OdhDashboardConfigs carry "true" strings as often as booleans; accept both and
// ignore anything else rather than failing the whole object.
const flag = z
  .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
  .optional()
  .catch(undefined);

/** The fields of OdhDashboardConfig `odh-dashboard-config` the NIM backend reads (SPEC §3.1). */
export const dashboardConfigSchema = z.looseObject({
  spec: z
    .looseObject({
      dashboardConfig: z.looseObject({ disableNIMModelServing: flag }).optional().catch(undefined),
      nimConfig: z
        .looseObject({
          customConfigMap: z
            .looseObject({ name: z.string().min(1), namespace: z.string().min(1).optional() })
            .optional()
            .catch(undefined),
          disableKeyValidation: flag,
          disableKeyCollection: flag,
          disconnected: z.looseObject({ disableKeyCollection: flag }).optional().catch(undefined),
        })
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});

/** What the dashboard configuration decides for NIM. */
export interface NimSettings {
  /** False when `spec.dashboardConfig.disableNIMModelServing` is true. */
  enabled: boolean;
  /** False when `spec.nimConfig.disableKeyValidation` is true. */
  keyValidation: boolean;
  /**
   * False when `spec.nimConfig.disableKeyCollection` or, where the design later moved it,
   * `spec.nimConfig.disconnected.disableKeyCollection` is true.
   */
  keyCollection: boolean;
  catalogSource: CatalogSource;
}

/**
 * Reads the NIM settings from an OdhDashboardConfig (or their defaults when it is absent): the
 * catalog comes from `spec.nimConfig.customConfigMap` when set (its namespace defaulting to the
 * applications namespace), else from `nvidia-nim-models-data` in the applications namespace.
 */
export function parseNimSettings(config: unknown, applicationsNamespace: string): NimSettings {
  const parsed = dashboardConfigSchema.safeParse(config ?? {});
  const spec = parsed.success ? parsed.data.spec : undefined;
  const custom = spec?.nimConfig?.customConfigMap;
  return {
    enabled: spec?.dashboardConfig?.disableNIMModelServing !== true,
    keyValidation: spec?.nimConfig?.disableKeyValidation !== true,
    keyCollection:
      spec?.nimConfig?.disableKeyCollection !== true &&
      spec?.nimConfig?.disconnected?.disableKeyCollection !== true,
    catalogSource: custom
      ? { name: custom.name, namespace: custom.namespace ?? applicationsNamespace, custom: true }
      : { name: MODELS_CONFIGMAP_NAME, namespace: applicationsNamespace, custom: false },
  };
}
