import { z } from 'zod';

import { dscSpecSchema, type DataScienceCluster, type DscNim } from '../k8s/objects.js';

/** Annotation where `kubectl apply` (and tools built on it) keeps what the admin applied. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Settings the DataScienceCluster's NIM block turns into on the OdhDashboardConfig. */
export interface DashboardSettings {
  /** `spec.dashboardConfig.disableNIMModelServing: true` (was `managementState: Removed`). */
  disableNIMModelServing?: true;
  /** `spec.nimConfig.disableKeyValidation: true` (was `airGapped: true`). */
  disableKeyValidation?: true;
}

/** What a DataScienceCluster says an admin chose for NIM. */
export interface NimIntent {
  /**
   * `spec`: the served object holds the block. `last-applied`: the served schema no longer has
   * the field (the apiserver prunes it on every read), so the block was read from what the admin
   * last applied with kubectl.
   */
  source: 'spec' | 'last-applied';
  /** The block as read. */
  nim: DscNim;
  /**
   * The admin's choices: only values that differ from the CRD's defaults (`Managed`, `airGapped:
   * false`), which the apiserver writes into every DataScienceCluster and which choose nothing.
   */
  settings: DashboardSettings;
}

const lastAppliedSchema = z.looseObject({ spec: dscSpecSchema.optional() });

function nimFromLastApplied(dsc: DataScienceCluster): DscNim | undefined {
  const text = dsc.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = lastAppliedSchema.safeParse(value);
  return parsed.success ? (parsed.data.spec?.components?.kserve?.nim ?? undefined) : undefined;
}

/** The choices in a NIM block: `Removed` and `airGapped: true`; defaults choose nothing. */
export function settingsOf(nim: DscNim): DashboardSettings {
  const settings: DashboardSettings = {};
  if (nim.managementState === 'Removed') settings.disableNIMModelServing = true;
  if (nim.airGapped === true) settings.disableKeyValidation = true;
  return settings;
}

/**
 * Reads the NIM intent of a DataScienceCluster. Where the served schema still defines the block,
 * the object shows it and is the truth. Where it does not (`nimInSchema` false, the CRD patch of
 * NVPE-413 applied), the apiserver prunes it from every read, even from objects stored earlier:
 * the one trace left is kubectl's last-applied annotation.
 */
export function readNimIntent(
  dsc: DataScienceCluster,
  nimInSchema: boolean,
): NimIntent | undefined {
  const served = dsc.spec?.components?.kserve?.nim;
  if (served) return { source: 'spec', nim: served, settings: settingsOf(served) };
  if (nimInSchema) return undefined;
  const applied = nimFromLastApplied(dsc);
  return applied
    ? { source: 'last-applied', nim: applied, settings: settingsOf(applied) }
    : undefined;
}

/** `managementState: Removed, airGapped: true`, for reasons and notes. */
export function describeNim(nim: DscNim): string {
  const parts = [
    nim.managementState !== undefined ? `managementState: ${nim.managementState}` : undefined,
    nim.airGapped !== undefined ? `airGapped: ${String(nim.airGapped)}` : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? parts.join(', ') : 'empty';
}

/** `spec.dashboardConfig.disableNIMModelServing: true, …`, for summaries. */
export function describeSettings(settings: DashboardSettings): string {
  const parts: string[] = [];
  if (settings.disableNIMModelServing) {
    parts.push('spec.dashboardConfig.disableNIMModelServing: true');
  }
  if (settings.disableKeyValidation) parts.push('spec.nimConfig.disableKeyValidation: true');
  return parts.join(', ');
}
