import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';

import { API, CRD_PATCH_FILES, NEIGHBOUR_CRDS } from '@odh-nim/contract';

import type { NimConfigCrd } from '../../../api/types.js';
import { getRaw } from '../raw-get.js';

const gvkSchema = z.looseObject({ group: z.string(), version: z.string(), kind: z.string() });
const schemaNodeSchema = z.looseObject({
  properties: z.record(z.string(), z.unknown()).optional(),
  'x-kubernetes-group-version-kind': z.array(gvkSchema).optional(),
});
const openApiSchema = z.looseObject({
  components: z.looseObject({ schemas: z.record(z.string(), z.unknown()).optional() }).optional(),
});

/** What to tell an administrator whose CRD cannot hold `spec.nimConfig`. */
export const NIM_CONFIG_UNSUPPORTED_MESSAGE =
  `The installed OdhDashboardConfig CRD (${NEIGHBOUR_CRDS.dashboardConfig}) has no ` +
  'spec.nimConfig, so the apiserver drops customConfigMap, disableKeyValidation and ' +
  'disableKeyCollection: none of them has an effect. Apply the CRD patch ' +
  `${CRD_PATCH_FILES.dashboardConfigNimConfig} (odh-dashboard ships it next to the CRD), then ` +
  'set them again.';

function propertiesOf(node: unknown): Record<string, unknown> | undefined {
  const parsed = schemaNodeSchema.safeParse(node);
  return parsed.success ? parsed.data.properties : undefined;
}

/**
 * Reads from the apiserver's OpenAPI v3 document of `opendatahub.io/v1alpha` whether the served
 * OdhDashboardConfig schema has `spec.nimConfig`. NB: discovery documents are open to every
 * authenticated user (`system:discovery`), so the backend's read-only identity may read them.
 */
export function nimConfigCrdOf(document: unknown): NimConfigCrd {
  const parsed = openApiSchema.safeParse(document);
  const schemas = parsed.success ? (parsed.data.components?.schemas ?? {}) : {};
  const { group, version } = API.dashboardConfig;
  const kind = Object.values(schemas).find((node) => {
    const gvks = schemaNodeSchema.safeParse(node);
    return (gvks.success ? (gvks.data['x-kubernetes-group-version-kind'] ?? []) : []).some(
      (gvk) => gvk.group === group && gvk.version === version && gvk.kind === 'OdhDashboardConfig',
    );
  });
  if (kind === undefined) {
    return {
      state: 'unknown',
      message: `The apiserver does not describe OdhDashboardConfig ${group}/${version}: is its CRD installed?`,
    };
  }
  const nimConfig = propertiesOf(propertiesOf(kind)?.['spec'])?.['nimConfig'];
  return nimConfig === undefined
    ? { state: 'unsupported', message: NIM_CONFIG_UNSUPPORTED_MESSAGE }
    : { state: 'supported' };
}

/** Whether the installed OdhDashboardConfig CRD can hold `spec.nimConfig`; never throws. */
export async function getNimConfigCrd(kubeConfig: KubeConfig): Promise<NimConfigCrd> {
  const { group, version } = API.dashboardConfig;
  try {
    const answer = await getRaw(kubeConfig, `/openapi/v3/apis/${group}/${version}`);
    if (answer.status === 404) return nimConfigCrdOf(undefined);
    if (answer.status !== 200) {
      return {
        state: 'unknown',
        message: `Could not read the OdhDashboardConfig schema (HTTP ${answer.status}).`,
      };
    }
    return nimConfigCrdOf(answer.body);
  } catch (error) {
    return {
      state: 'unknown',
      message: `Could not read the OdhDashboardConfig schema: ${error instanceof Error ? error.message : String(error)}.`,
    };
  }
}
