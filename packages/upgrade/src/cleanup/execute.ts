import { DASHBOARD_CONFIG_NAME, ANNOTATIONS } from '@odh-nim/contract';

import { describeApiError, isAlreadyExists, isConflict, isTransient } from '../k8s/api-errors.js';
import { dashboardConfigSchema, dataScienceClusterSchema } from '../k8s/objects.js';
import { apiVersionOf, type ResourceClient } from '../k8s/resource-client.js';
import { withRetry, type RetryPolicy } from '../k8s/retry.js';
import { silentLogger, type UpgradeLogger } from '../logger.js';
import { describeRef, type CleanupAction, type CleanupPlan } from './plan.js';

/** How one action ended. */
export type ActionResult =
  | {
      ok: true;
      /** e.g. "already gone": the goal was met without this run's change. */ note?: string;
    }
  | { ok: false; error: string };

/** Options of {@link executePlan}. */
export interface ExecuteOptions {
  /** Send every write with `dryRun=All`: the apiserver validates it and persists nothing. */
  dryRun: boolean;
  logger?: UpgradeLogger;
  /** Retries of conflicts and transient failures. */
  retry?: RetryPolicy;
}

/**
 * Runs a plan's actions in order. An action whose prerequisite failed is not attempted (an
 * Account whose ownerReference could not be stripped from a Secret in use must not be deleted).
 * Never throws for a single object: its failure is in the result.
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
    const failedFirst = action.after.find((id) => results.get(id)?.ok === false);
    if (failedFirst !== undefined) {
      const blocker = byId.get(failedFirst);
      const error = `not attempted: ${blocker ? `${describeRef(blocker.target)}: ${blocker.summary}` : failedFirst} failed first`;
      results.set(action.id, { ok: false, error });
      logger.warn(`${describeRef(action.target)}: ${error}`);
      continue;
    }
    try {
      const note = await runAction(client, action, options, logger);
      results.set(action.id, note ? { ok: true, note } : { ok: true });
      logger.info(
        `${options.dryRun ? '(dry run) ' : ''}${describeRef(action.target)}: ${action.summary}${note ? ` (${note})` : ''}`,
      );
    } catch (error) {
      const message = describeApiError(error);
      results.set(action.id, { ok: false, error: message });
      logger.warn(`${describeRef(action.target)}: ${action.summary} failed: ${message}`);
    }
  }
  return results;
}

/** Runs one action; returns a note when the goal was already met. */
async function runAction(
  client: ResourceClient,
  action: CleanupAction,
  options: ExecuteOptions,
  logger: UpgradeLogger,
): Promise<string | undefined> {
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

  switch (action.type) {
    case 'delete': {
      // NB: no conflict retry: a failed uid precondition means a different object now has the
      // name, and it was not part of the decision.
      const outcome = await retry(
        () => client.delete(target, { dryRun, uid: action.uid }),
        () => false,
      );
      return outcome === 'not-found' ? 'already gone' : undefined;
    }
    case 'remove-owner-references':
      return retry(async () => {
        const object = await client.get(target);
        if (!object) return 'already gone';
        const owners = object.metadata.ownerReferences ?? [];
        const remaining = owners.filter((owner) => !action.ownerUids.includes(owner.uid));
        if (remaining.length === owners.length) return 'already removed';
        await client.mergePatch(
          target,
          {
            metadata: {
              resourceVersion: object.metadata.resourceVersion,
              ownerReferences: remaining.length > 0 ? remaining : null,
            },
          },
          { dryRun },
        );
        return undefined;
      }, isConflict);
    case 'remove-finalizer':
      return retry(async () => {
        const object = await client.get(target);
        if (!object) return 'already gone';
        const finalizers = object.metadata.finalizers ?? [];
        if (!finalizers.includes(action.finalizer)) return 'already removed';
        const remaining = finalizers.filter((finalizer) => finalizer !== action.finalizer);
        await client.mergePatch(
          target,
          {
            metadata: {
              resourceVersion: object.metadata.resourceVersion,
              finalizers: remaining.length > 0 ? remaining : null,
            },
          },
          { dryRun },
        );
        return undefined;
      }, isConflict);
    case 'set-template-name':
      return retry(async () => {
        const object = await client.get(target);
        if (!object) return 'already gone';
        const current = object.metadata.annotations?.[ANNOTATIONS.templateName];
        if (current === action.to) return 'already set';
        if (current !== action.from) return `left alone: it now names ${current ?? 'no Template'}`;
        await client.mergePatch(
          target,
          {
            metadata: {
              resourceVersion: object.metadata.resourceVersion,
              annotations: { [ANNOTATIONS.templateName]: action.to },
            },
          },
          { dryRun },
        );
        return undefined;
      }, isConflict);
    case 'configure-dashboard':
      return retry(
        async () => {
          const existing = await client.get(target);
          const spec = {
            ...(action.settings.disableNIMModelServing
              ? { dashboardConfig: { disableNIMModelServing: true } }
              : {}),
            ...(action.settings.disableKeyValidation
              ? { nimConfig: { disableKeyValidation: true } }
              : {}),
          };
          if (!existing) {
            await client.create(
              'OdhDashboardConfig',
              {
                apiVersion: apiVersionOf('OdhDashboardConfig'),
                kind: 'OdhDashboardConfig',
                metadata: { name: DASHBOARD_CONFIG_NAME, namespace: target.namespace },
                spec,
              },
              { dryRun },
            );
            return undefined;
          }
          const current = dashboardConfigSchema.parse(existing).spec;
          const done =
            (!action.settings.disableNIMModelServing ||
              current?.dashboardConfig?.disableNIMModelServing === true) &&
            (!action.settings.disableKeyValidation ||
              current?.nimConfig?.disableKeyValidation === true);
          if (done) return 'already set';
          await client.mergePatch(
            target,
            { metadata: { resourceVersion: existing.metadata.resourceVersion }, spec },
            { dryRun },
          );
          return undefined;
          // AlreadyExists: someone created it between our read and our create; the next pass
          // re-reads it and patches.
        },
        (error) => isConflict(error) || isAlreadyExists(error),
      );
    case 'remove-dsc-nim':
      return retry(async () => {
        const object = await client.get(target);
        if (!object) return 'already gone';
        const dsc = dataScienceClusterSchema.parse(object);
        if (dsc.spec?.components?.kserve?.nim == null) return 'already removed';
        await client.mergePatch(
          target,
          {
            metadata: { resourceVersion: object.metadata.resourceVersion },
            spec: { components: { kserve: { nim: null } } },
          },
          { dryRun },
        );
        return undefined;
      }, isConflict);
  }
}
