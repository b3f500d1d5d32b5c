import { ANNOTATIONS } from '@odh-nim/contract';

import { dashboardConfigSchema, type KubeObject } from '../k8s/objects.js';
import type { CleanupAction } from './plan.js';
import { missingFieldHint } from './schema-hints.js';

/** Fields as the apiserver stored them after a change (in a dry run: would store), by path. */
export type StoredFields = Record<string, unknown>;

/** What a read-back showed. */
export interface StoredCheck {
  stored: StoredFields;
  /** Set when a stored value is not the intended one: names the field and what to do. */
  mismatch?: string;
}

function describeValue(value: unknown): string {
  return value === null ? 'absent' : JSON.stringify(value);
}

/**
 * Compares what the apiserver stored with what `action` meant to store. `object` is the object
 * read back after the change (undefined: it is gone). A write the apiserver accepted can still
 * lose a field: pruned by a schema that lacks it (a server ignoring `fieldValidation`), or
 * changed back by an admission webhook or a controller.
 */
export function checkStored(action: CleanupAction, object: KubeObject | undefined): StoredCheck {
  switch (action.type) {
    case 'delete': {
      const still = object?.metadata.uid === action.uid && !object?.metadata.deletionTimestamp;
      return still && object
        ? { stored: {}, mismatch: 'still there after the delete, and not being deleted' }
        : { stored: {} };
    }
    case 'remove-owner-references': {
      if (!object) return { stored: {} };
      const owners = object.metadata.ownerReferences ?? [];
      const stored = { 'metadata.ownerReferences': owners.map((o) => `${o.kind} ${o.name}`) };
      const left = owners.filter((owner) => action.ownerUids.includes(owner.uid));
      return left.length === 0
        ? { stored }
        : {
            stored,
            mismatch: `stored metadata.ownerReferences still names ${left.map((o) => `${o.kind} ${o.name}`).join(', ')}: something put it back; remove it by hand, then run the cleanup again`,
          };
    }
    case 'remove-finalizer': {
      if (!object) return { stored: {} };
      const finalizers = object.metadata.finalizers ?? [];
      const stored = { 'metadata.finalizers': finalizers };
      return finalizers.includes(action.finalizer)
        ? {
            stored,
            mismatch: `stored metadata.finalizers still holds ${action.finalizer}: something put it back; check for a controller of the old design still running`,
          }
        : { stored };
    }
    case 'set-template-name': {
      const field = `metadata.annotations.${ANNOTATIONS.templateName}`;
      const value = object?.metadata.annotations?.[ANNOTATIONS.templateName] ?? null;
      const stored = { [field]: value };
      return value === action.to
        ? { stored }
        : {
            stored,
            mismatch: `stored ${field} is ${describeValue(value)}, not ${JSON.stringify(action.to)}: something changed it back; check the ServingRuntime's admission webhooks`,
          };
    }
    case 'configure-dashboard': {
      const spec = object ? dashboardConfigSchema.parse(object).spec : undefined;
      const stored: StoredFields = {};
      const problems: string[] = [];
      const expect = (field: string, value: boolean | undefined): void => {
        stored[field] = value ?? null;
        if (value !== true) {
          problems.push(
            `stored ${field} is ${describeValue(value ?? null)}, not true: ${missingFieldHint('OdhDashboardConfig', field)}`,
          );
        }
      };
      if (action.settings.disableNIMModelServing) {
        expect(
          'spec.dashboardConfig.disableNIMModelServing',
          spec?.dashboardConfig?.disableNIMModelServing,
        );
      }
      if (action.settings.disableKeyValidation) {
        expect('spec.nimConfig.disableKeyValidation', spec?.nimConfig?.disableKeyValidation);
      }
      return problems.length === 0 ? { stored } : { stored, mismatch: problems.join('; ') };
    }
  }
}
