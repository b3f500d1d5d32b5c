import { DASHBOARD_CONFIG_NAME, LEGACY } from '@odh-nim/contract';

import { describeApiError, isNotFound } from '../k8s/api-errors.js';
import {
  accountSchema,
  dashboardConfigSchema,
  dataScienceClusterSchema,
  type Account,
  type DashboardConfig,
  type DataScienceCluster,
  type KubeObject,
} from '../k8s/objects.js';
import type { ResourceClient, ResourceKind } from '../k8s/resource-client.js';
import { UpgradeError } from '../errors.js';

/** What one namespace holds of the kinds the cleanup decides about or checks for use. */
export interface NamespaceObjects {
  secrets: KubeObject[];
  configMaps: KubeObject[];
  templates: KubeObject[];
  /** Read in the applications namespace only (the validator lived there). */
  cronJobs: KubeObject[];
  jobs: KubeObject[];
  servingRuntimes: KubeObject[];
  inferenceServices: KubeObject[];
  pods: KubeObject[];
}

/** Everything {@link planCleanup} decides from: one read of the cluster, no calls after it. */
export interface CleanupSnapshot {
  applicationsNamespace: string;
  /** The `accounts.nim.opendatahub.io` CRD, if installed. */
  accountCrd: KubeObject | undefined;
  accounts: Account[];
  /** The applications namespace, every namespace with an Account, and those Accounts refer to. */
  namespaces: Record<string, NamespaceObjects>;
  /** ServingRuntimes of all namespaces: any may name an old Template. */
  servingRuntimes: KubeObject[];
  dataScienceClusters: DataScienceCluster[];
  /** `odh-dashboard-config` in the applications namespace, if it exists. */
  dashboardConfig: DashboardConfig | undefined;
  /** Kinds whose CRD is not installed; the cleanup skips them. */
  missingKinds: ResourceKind[];
}

const EMPTY_NAMESPACE: NamespaceObjects = {
  secrets: [],
  configMaps: [],
  templates: [],
  cronJobs: [],
  jobs: [],
  servingRuntimes: [],
  inferenceServices: [],
  pods: [],
};

/** The objects of `namespace` in a snapshot, empty lists when it holds none. */
export function namespaceObjects(snapshot: CleanupSnapshot, namespace: string): NamespaceObjects {
  return snapshot.namespaces[namespace] ?? EMPTY_NAMESPACE;
}

/**
 * Reads everything the cleanup decides from. A kind whose CRD is not installed (404 on list) is
 * recorded in `missingKinds` and read as empty; any other failure throws, as nothing can be
 * decided safely on a partial view (a Pod we could not list might use a Secret).
 */
export async function readCleanupSnapshot(
  client: ResourceClient,
  applicationsNamespace: string,
): Promise<CleanupSnapshot> {
  const missing = new Set<ResourceKind>();
  const list = async (kind: ResourceKind, namespace?: string): Promise<KubeObject[]> => {
    try {
      return await client.list(kind, { namespace });
    } catch (error) {
      if (isNotFound(error)) {
        missing.add(kind);
        return [];
      }
      throw readFailed(`list ${kind}${namespace ? ` in ${namespace}` : ''}`, error);
    }
  };

  const [accountCrd, accounts, servingRuntimes, dataScienceClusters, dashboardConfigs] =
    await Promise.all([
      client.get({ kind: 'CustomResourceDefinition', name: LEGACY.accountCrd }).catch((error) => {
        throw readFailed(`read CustomResourceDefinition ${LEGACY.accountCrd}`, error);
      }),
      list('Account'),
      list('ServingRuntime'),
      list('DataScienceCluster'),
      list('OdhDashboardConfig', applicationsNamespace),
    ]);
  const parsedAccounts = accounts.map((item) => accountSchema.parse(item));

  const namespaceNames = new Set([applicationsNamespace]);
  for (const account of parsedAccounts) {
    const home = account.metadata.namespace;
    if (home) namespaceNames.add(home);
    for (const ref of [
      account.spec?.apiKeySecret,
      account.status?.nimConfig,
      account.status?.runtimeTemplate,
      account.status?.nimPullSecret,
    ]) {
      if (ref?.namespace) namespaceNames.add(ref.namespace);
    }
  }

  const namespaces: Record<string, NamespaceObjects> = {};
  await Promise.all(
    [...namespaceNames].map(async (namespace) => {
      const inApps = namespace === applicationsNamespace;
      const [secrets, configMaps, templates, cronJobs, jobs, inferenceServices, pods] =
        await Promise.all([
          list('Secret', namespace),
          list('ConfigMap', namespace),
          list('Template', namespace),
          inApps ? list('CronJob', namespace) : [],
          inApps ? list('Job', namespace) : [],
          list('InferenceService', namespace),
          list('Pod', namespace),
        ]);
      namespaces[namespace] = {
        secrets,
        configMaps,
        templates,
        cronJobs,
        jobs,
        servingRuntimes: servingRuntimes.filter((sr) => sr.metadata.namespace === namespace),
        inferenceServices,
        pods,
      };
    }),
  );

  const dashboardConfig = dashboardConfigs.find(
    (item) => item.metadata.name === DASHBOARD_CONFIG_NAME,
  );
  return {
    applicationsNamespace,
    accountCrd,
    accounts: parsedAccounts,
    namespaces,
    servingRuntimes,
    dataScienceClusters: dataScienceClusters.map((item) => dataScienceClusterSchema.parse(item)),
    dashboardConfig: dashboardConfig ? dashboardConfigSchema.parse(dashboardConfig) : undefined,
    missingKinds: [...missing].sort(),
  };
}

function readFailed(what: string, error: unknown): UpgradeError {
  return new UpgradeError(
    'read-failed',
    `Could not ${what}: ${describeApiError(error)}. Nothing was changed.`,
    {
      cause: error,
      suggestion:
        'Check that the kubeconfig reaches the cluster and may list these objects cluster-wide.',
    },
  );
}
