import type { KubeConfig } from '@kubernetes/client-node';

import { getApplicationsNamespace } from '../applications-namespace.js';
import { UpgradeError, isUpgradeError } from '../errors.js';
import { describeApiError } from '../k8s/api-errors.js';
import { createResourceClient, type ResourceClient } from '../k8s/resource-client.js';
import type { RetryPolicy } from '../k8s/retry.js';
import { silentLogger, type UpgradeLogger } from '../logger.js';
import { executePlan } from './execute.js';
import { planCleanup } from './plan.js';
import { buildCleanupReport, type CleanupReport } from './report.js';
import { readCleanupSnapshot } from './snapshot.js';

/** Options of {@link cleanup}. */
export interface CleanupOptions {
  /** Credentials of a user allowed to list cluster-wide and delete the old objects. */
  kubeConfig: KubeConfig;
  /** Skips SPEC §2 resolution (DSCInitialization, namespace label, `opendatahub`). */
  applicationsNamespace?: string | undefined;
  /** Validate every write on the apiserver (`dryRun=All`) and change nothing. Default false. */
  dryRun?: boolean | undefined;
  /** Leave the Account CRD installed even when no Account is left. Default false. */
  keepAccountCrd?: boolean | undefined;
  /** Progress and retries; silent by default. */
  logger?: UpgradeLogger | undefined;
  /** Retries of conflicts and transient API failures (default 5 tries from 200 ms). */
  retry?: RetryPolicy | undefined;
  /** Replaces the client built from `kubeConfig`; for tests. */
  client?: ResourceClient | undefined;
}

/**
 * Removes the old Account-based NIM integration (SPEC §3.5) without breaking NIM deployments
 * that run: reads the cluster once, plans every step ({@link planCleanup}), then carries it out
 * and reports each object. Idempotent: a second run finds nothing to do. Throws an
 * {@link UpgradeError} only when the cluster could not be read; single objects that fail are
 * `failed` entries of the report.
 */
export async function cleanup(options: CleanupOptions): Promise<CleanupReport> {
  const logger = options.logger ?? silentLogger;
  const dryRun = options.dryRun ?? false;
  const client = options.client ?? createResourceClient(options.kubeConfig);
  let resolved;
  try {
    resolved = await getApplicationsNamespace(client, options.applicationsNamespace);
  } catch (error) {
    if (isUpgradeError(error)) throw error;
    throw new UpgradeError(
      'read-failed',
      `Could not resolve the applications namespace: ${describeApiError(error)}.`,
      { cause: error, suggestion: 'Pass --applications-namespace, or check the kubeconfig.' },
    );
  }
  logger.info(`applications namespace: ${resolved.namespace} (${resolved.source})`);
  // Everything, the DataScienceCluster's NIM intent included, is read before anything changes.
  const snapshot = await readCleanupSnapshot(client, resolved.namespace, { retry: options.retry });
  const plan = planCleanup(snapshot, { keepAccountCrd: options.keepAccountCrd ?? false });
  logger.debug(`planned ${plan.actions.length} actions, keeping ${plan.kept.length} objects`);
  const results = await executePlan(client, plan, { dryRun, logger, retry: options.retry });
  return buildCleanupReport({
    plan,
    results,
    dryRun,
    applicationsNamespace: { name: resolved.namespace, source: resolved.source },
  });
}
