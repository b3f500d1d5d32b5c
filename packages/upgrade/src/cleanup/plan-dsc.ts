import { CRD_PATCH_FILES, DASHBOARD_CONFIG_NAME } from '@odh-nim/contract';

import type { ObjectRef } from '../k8s/resource-client.js';
import {
  LAST_APPLIED_ANNOTATION,
  describeNim,
  describeSettings,
  readNimIntent,
  type DashboardSettings,
  type NimIntent,
} from './nim-intent.js';
import type { CleanupAction, KeptObject } from './plan.js';
import { describeRef, refKey, refOf } from './refs.js';
import type { CleanupSnapshot } from './snapshot.js';

/** What {@link planDataScienceClusters} decided. */
export interface DscPlan {
  actions: CleanupAction[];
  kept: KeptObject[];
  notes: string[];
}

/**
 * Carries the admin's NIM intent from the DataScienceClusters to `odh-dashboard-config`, and
 * never writes the DataScienceCluster itself:
 * - where the served schema still defines `spec.components.kserve.nim`, removing it does not
 *   stick (the apiserver defaults it back to `Managed`, `airGapped: false`, erasing the choice),
 *   and the block is inert once the Account controller is gone: it is kept, with the reason;
 * - where it does not (NVPE-413's CRD patch applied), the apiserver prunes it on every read: it
 *   is gone, and the intent comes from kubectl's last-applied annotation when there is one.
 */
export function planDataScienceClusters(snapshot: CleanupSnapshot): DscPlan {
  const plan: DscPlan = { actions: [], kept: [], notes: [] };
  const version = snapshot.dataScienceClusterApiVersion;
  const clusters = snapshot.dataScienceClusters
    .filter((dsc) => !dsc.metadata.deletionTimestamp)
    .map((dsc) => ({ dsc, intent: readNimIntent(dsc, snapshot.dscNimInSchema) }));

  const chosen: DashboardSettings = {};
  for (const { intent } of clusters) Object.assign(chosen, intent?.settings);
  const current = snapshot.dashboardConfig?.spec;
  const settings: DashboardSettings = {};
  if (chosen.disableNIMModelServing && current?.dashboardConfig?.disableNIMModelServing !== true) {
    settings.disableNIMModelServing = true;
  }
  if (chosen.disableKeyValidation && current?.nimConfig?.disableKeyValidation !== true) {
    settings.disableKeyValidation = true;
  }
  const dashboard: ObjectRef = {
    kind: 'OdhDashboardConfig',
    namespace: snapshot.applicationsNamespace,
    name: DASHBOARD_CONFIG_NAME,
  };
  const nowhere = snapshot.missingKinds.includes('OdhDashboardConfig');
  if (Object.keys(settings).length > 0 && !nowhere) {
    const create = snapshot.dashboardConfig === undefined;
    const intent = describeSettings(settings);
    plan.actions.push({
      type: 'configure-dashboard',
      id: `configure-dashboard:${refKey(dashboard)}`,
      target: dashboard,
      summary: create ? `create with ${intent}` : `set ${intent}`,
      after: [],
      create,
      settings,
    });
    if (create) {
      plan.notes.push(
        `${describeRef(dashboard)} did not exist: created with only the NIM settings; the ` +
          'dashboard fills in its defaults.',
      );
    }
  }

  for (const { dsc, intent } of clusters) {
    const target = refOf('DataScienceCluster', dsc);
    const choice = describeChoice(intent, describeRef(dashboard), nowhere);
    if (intent?.source === 'spec') {
      plan.kept.push({
        target,
        reasons: [
          `spec.components.kserve.nim kept: the served schema (${version}) still defines it, so ` +
            'the apiserver would default it back, and it is inert once the Account controller ' +
            `is gone; it goes with opendatahub-operator's CRD change (${CRD_PATCH_FILES.dataScienceClusterRemoveNim})`,
          choice,
        ],
      });
    } else if (intent?.source === 'last-applied') {
      plan.notes.push(
        `${describeRef(target)}: spec.components.kserve.nim is no longer in the served schema ` +
          `(${version}), so it is gone; the admin's block was read from its ` +
          `${LAST_APPLIED_ANNOTATION} annotation: ${choice}.`,
      );
    } else if (!snapshot.dscNimInSchema && (snapshot.accountCrd || snapshot.accounts.length > 0)) {
      plan.notes.push(
        `${describeRef(target)}: the served schema (${version}) no longer has ` +
          'spec.components.kserve.nim, so a choice made there before the upgrade cannot be ' +
          'read. If NIM was Removed or the cluster airGapped, set ' +
          `spec.dashboardConfig.disableNIMModelServing or spec.nimConfig.disableKeyValidation in ${describeRef(dashboard)}.`,
      );
    }
  }
  return plan;
}

/** What the block chose and where that goes, for a reason or a note. */
function describeChoice(
  intent: NimIntent | undefined,
  dashboard: string,
  nowhere: boolean,
): string {
  if (!intent) return 'no block';
  const block = describeNim(intent.nim);
  const settings = describeSettings(intent.settings);
  if (!settings) return `${block}: only the defaults, no choice to carry`;
  if (nowhere) {
    return `the admin's choice (${block}) has nowhere to go: OdhDashboardConfig is not installed; set ${settings} once it is`;
  }
  return `the admin's choice (${block}) is ${settings} in ${dashboard}`;
}
