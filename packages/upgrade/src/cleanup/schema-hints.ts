import { CRD_PATCH_FILES, NEIGHBOUR_CRDS } from '@odh-nim/contract';

import { describeApiError, statusCodeOf } from '../k8s/api-errors.js';
import type { ResourceKind } from '../k8s/resource-client.js';

/** What to do when the OdhDashboardConfig CRD cannot hold `spec.nimConfig`. */
export const NIM_CONFIG_PATCH_HINT =
  `apply the OdhDashboardConfig CRD patch in manifests/crd ` +
  `(${CRD_PATCH_FILES.dashboardConfigNimConfig}, which odh-dashboard ships next to ` +
  `${NEIGHBOUR_CRDS.dashboardConfig}), then run the cleanup again`;

/** Why a field is missing from the schema of `kind`, and what to do about it. */
export function missingFieldHint(kind: ResourceKind, field: string): string {
  if (kind === 'OdhDashboardConfig' && field.startsWith('spec.nimConfig')) {
    return `the OdhDashboardConfig CRD on this cluster does not define spec.nimConfig: ${NIM_CONFIG_PATCH_HINT}`;
  }
  return `the ${kind} schema on this cluster does not define ${field}; check that its CRD is the one this release expects`;
}

/** The fields a strict write was rejected for (`unknown field "spec.x"`), if that was why. */
export function unknownFieldsOf(error: unknown): string[] {
  if (statusCodeOf(error) !== 400) return [];
  const matches = describeApiError(error).matchAll(/unknown field "([^"]+)"/g);
  return [...new Set([...matches].map((match) => match[1] ?? ''))].filter(Boolean);
}

/**
 * A failed write for people: the apiserver's answer and, when strict field validation rejected
 * a field the schema lacks, which one and what to do.
 */
export function describeWriteError(kind: ResourceKind, error: unknown): string {
  const fields = unknownFieldsOf(error);
  const message = describeApiError(error);
  if (fields.length === 0) return message;
  const hints = [...new Set(fields.map((field) => missingFieldHint(kind, field)))];
  return `${hints.join('; ')} (${message})`;
}
