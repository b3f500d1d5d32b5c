import { DASHBOARD_CONFIG_NAME, ANNOTATIONS } from '@odh-nim/contract';

import {
  describeApiError,
  isAlreadyExists,
  isConflict,
  isNotFound,
  isTransient,
} from '../k8s/api-errors.js';
import { dashboardConfigSchema, type KubeObject } from '../k8s/objects.js';
import { apiVersionOf, type ObjectRef, type ResourceClient } from '../k8s/resource-client.js';
import { withRetry, type RetryPolicy } from '../k8s/retry.js';
import { silentLogger, type UpgradeLogger } from '../logger.js';
import type { CleanupAction, CleanupPlan } from './plan.js';
import { describeRef } from './refs.js';
import { describeWriteError } from './schema-hints.js';
import { checkStored, type StoredFields } from './verify.js';

/** How one action ended. */
export type ActionResult =
  | {
      outcome: 'done';
      /** e.g. "already gone": the goal was met without this run's change. */
      note?: string;
      /** The changed fields as read back (dry run: as the apiserver would store them). */
      stored?: StoredFields;
    }
  | { outcome: 'failed'; error: string; stored?: StoredFields }
  /** An action it had to wait for did not succeed, so it was never sent. */
  | { outcome: 'not-attempted'; blockedBy: string };

/** Options of {@link executePlan}. */
export interface ExecuteOptions {
  /** Send every write with `dryRun=All`: the apiserver validates it and persists nothing. */
  dryRun: boolean;
  logger?: UpgradeLogger;
  /** Retries of conflicts and transient failures. */
  retry?: RetryPolicy | undefined;
}

/** What running an action showed: a note, and the object to check the stored values on. */
interface Done {
  note?: string;
  /** False when nothing of this action is left to check (the object went, or moved on). */
  verify: boolean;
  /** The object read back after the change; undefined when it is gone. */
  object?: KubeObject | undefined;
}

/**
 * Runs a plan's actions in order and reads back what each one changed. An action whose
 * prerequisite did not succeed is not attempted (an Account whose ownerReference could not be
 * stripped from a Secret in use must not be deleted). Never throws for a single object: its
 * failure is in the result.
 */
export async function executePlan(
  client: ResourceClient,
  plan: CleanupPlan,
  options: ExecuteOptions,
): Promise<Map<string, ActionResult>> {
  const logger = options.logger ?? silentLogger;
  const results = new Map<string, ActionResult>();
  const byId = new Map(plan.actions.map((action) => [action.id, action]));
  for (const action of plan.actions) {
    const blocker = action.after.find((id) => results.get(id)?.outcome !== 'done');
    if (blocker !== undefined) {
      const first = byId.get(blocker);
      const blockedBy = first ? `${describeRef(first.target)}: ${first.summary}` : blocker;
      results.set(action.id, { outcome: 'not-attempted', blockedBy });
      logger.warn(`${describeRef(action.target)}: not attempted, as ${blockedBy} did not succeed`);
      continue;
    }
    try {
      const done = await runAction(client, action, options, logger);
      const check = done.verify ? checkStored(action, done.object) : { stored: {} };
      const stored = Object.keys(check.stored).length > 0 ? { stored: check.stored } : {};
      if (check.mismatch !== undefined) {
        results.set(action.id, { outcome: 'failed', error: check.mismatch, ...stored });
        logger.warn(`${describeRef(action.target)}: ${action.summary}: ${check.mismatch}`);
        continue;
      }
      results.set(action.id, {
        outcome: 'done',
        ...(done.note ? { note: done.note } : {}),
        ...stored,
      });
      logger.info(
        `${options.dryRun ? '(dry run) ' : ''}${describeRef(action.target)}: ${action.summary}${done.note ? ` (${done.note})` : ''}`,
      );
    } catch (error) {
      const message = describeWriteError(action.target.kind, error);
      results.set(action.id, { outcome: 'failed', error: message });
      logger.warn(`${describeRef(action.target)}: ${action.summary} failed: ${message}`);
    }
  }
  return results;
}

/** Runs one action; the result says what to read the stored values from. */
async function runAction(
  client: ResourceClient,
  action: CleanupAction,
  options: ExecuteOptions,
  logger: UpgradeLogger,
): Promise<Done> {
  const { dryRun } = options;
  const retry = <T>(
    fn: (attempt: number) => Promise<T>,
    retryAlso: (error: unknown) => boolean,
  ): Promise<T> =>
    withRetry(fn, {
      ...options.retry,
      retryOn: (error) => isTransient(error) || retryAlso(error),
      onRetry: (error, attempt) =>
        logger.debug(
          `${describeRef(action.target)}: attempt ${attempt} failed (${describeApiError(error)}), retrying`,
        ),
    });
  const { target } = action;
  /** What was stored: read back after a real write; a dry run's answer is what would be. */
  const readBack = async (written: KubeObject): Promise<Done> => ({
    verify: true,
    object: dryRun
      ? written
      : await retry(
          () => client.get(target),
          () => false,
        ),
  });
  /** NB: a 404 on a patch means the object went after we read it: its goal is met. */
  const patchOrGone = async (patch: object): Promise<KubeObject | undefined> => {
    try {
      return await client.mergePatch(target, patch, { dryRun });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  const gone: Done = { note: 'already gone', verify: false };

  switch (action.type) {
    case 'delete': {
      // NB: no conflict retry: a failed uid precondition means a different object now has the
      // name, and it was not part of the decision.
      const outcome = await retry(
        () => client.delete(target, { dryRun, uid: action.uid }),
        () => false,
      );
      if (outcome === 'not-found') return gone;
      if (dryRun) return { verify: false };
      return {
        verify: true,
        object: await retry(
          () => client.get(target),
          () => false,
        ),
      };
    }
    case 'remove-owner-references':
      return retry(async () => {
        const object = await client.get(target);
        if (!object) return gone;
        const owners = object.metadata.ownerReferences ?? [];
        const remaining = owners.filter((owner) => !action.ownerUids.includes(owner.uid));
        if (remaining.length === owners.length) {
          return { note: 'already removed', verify: true, object };
        }
        const written = await patchOrGone({
          metadata: {
            resourceVersion: object.metadata.resourceVersion,
            ownerReferences: remaining.length > 0 ? remaining : null,
          },
        });
        return written ? readBack(written) : gone;
      }, isConflict);
    case 'remove-finalizer':
      return retry(async () => {
        const object = await client.get(target);
        if (!object) return gone;
        const finalizers = object.metadata.finalizers ?? [];
        if (!finalizers.includes(action.finalizer)) {
          return { note: 'already removed', verify: true, object };
        }
        const remaining = finalizers.filter((finalizer) => finalizer !== action.finalizer);
        const written = await patchOrGone({
          metadata: {
            resourceVersion: object.metadata.resourceVersion,
            finalizers: remaining.length > 0 ? remaining : null,
          },
        });
        return written ? readBack(written) : gone;
      }, isConflict);
    case 'set-template-name':
      return retry(async () => {
        const object = await client.get(target);
        if (!object) return gone;
        const current = object.metadata.annotations?.[ANNOTATIONS.templateName];
        if (current === action.to) return { note: 'already set', verify: true, object };
        if (current !== action.from) {
          return { note: `left alone: it now names ${current ?? 'no Template'}`, verify: false };
        }
        const written = await patchOrGone({
          metadata: {
            resourceVersion: object.metadata.resourceVersion,
            annotations: { [ANNOTATIONS.templateName]: action.to },
          },
        });
        return written ? readBack(written) : gone;
      }, isConflict);
    case 'configure-dashboard':
      return retry(
        () => configureDashboard(client, action, target, dryRun, readBack),
        // AlreadyExists: created between our read and our create; NotFound: deleted between
        // our read and our patch. The next pass re-reads and does the other.
        (error) => isConflict(error) || isAlreadyExists(error) || isNotFound(error),
      );
  }
}

async function configureDashboard(
  client: ResourceClient,
  action: Extract<CleanupAction, { type: 'configure-dashboard' }>,
  target: ObjectRef,
  dryRun: boolean,
  readBack: (written: KubeObject) => Promise<Done>,
): Promise<Done> {
  const spec = {
    ...(action.settings.disableNIMModelServing
      ? { dashboardConfig: { disableNIMModelServing: true } }
      : {}),
    ...(action.settings.disableKeyValidation ? { nimConfig: { disableKeyValidation: true } } : {}),
  };
  const existing = await client.get(target);
  if (!existing) {
    const created = await client.create(
      'OdhDashboardConfig',
      {
        apiVersion: apiVersionOf('OdhDashboardConfig'),
        kind: 'OdhDashboardConfig',
        metadata: { name: DASHBOARD_CONFIG_NAME, namespace: target.namespace },
        spec,
      },
      { dryRun },
    );
    return readBack(created);
  }
  const current = dashboardConfigSchema.parse(existing).spec;
  const done =
    (!action.settings.disableNIMModelServing ||
      current?.dashboardConfig?.disableNIMModelServing === true) &&
    (!action.settings.disableKeyValidation || current?.nimConfig?.disableKeyValidation === true);
  if (done) return { note: 'already set', verify: true, object: existing };
  const patched = await client.mergePatch(
    target,
    { metadata: { resourceVersion: existing.metadata.resourceVersion }, spec },
    { dryRun },
  );
  return readBack(patched);
}
