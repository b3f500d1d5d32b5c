import { API, DASHBOARD_CONFIG_NAME, LABELS, LEGACY, NEIGHBOUR_CRDS } from '@odh-nim/contract';

import { describeApiError, isNotFound, isTransient } from '../k8s/api-errors.js';
import { DSC_NIM_PATH, crdDefinesField } from '../k8s/crd-schema.js';
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
import { withRetry, type RetryPolicy } from '../k8s/retry.js';
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
  /** `group/version` they were read in: the one the cluster prefers (discovery). */
  dataScienceClusterApiVersion: string;
  /** Whether that version's served schema defines `spec.components.kserve.nim` (NVPE-413). */
  dscNimInSchema: boolean;
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

/** True for an ownerReference to the old design's `Account`, live or gone. */
export function isAccountOwner(owner: { apiVersion: string; kind: string }): boolean {
  return owner.kind === 'Account' && owner.apiVersion.startsWith(`${API.account.group}/`);
}

/**
 * Reads everything the cleanup decides from. A kind whose CRD is not installed (404 on list) is
 * recorded in `missingKinds` and read as empty; transient failures are retried; any other
 * failure throws, as nothing can be decided safely on a partial view (a Pod we could not list
 * might use a Secret).
 */
export async function readCleanupSnapshot(
  client: ResourceClient,
  applicationsNamespace: string,
  options: { retry?: RetryPolicy | undefined } = {},
): Promise<CleanupSnapshot> {
  const missing = new Set<ResourceKind>();
  const read = <T>(what: string, call: () => Promise<T>): Promise<T> =>
    withRetry(call, { ...options.retry, retryOn: isTransient }).catch((error: unknown) => {
      throw readFailed(what, error);
    });
  const list = async (
    kind: ResourceKind,
    namespace?: string,
    labelSelector?: string,
  ): Promise<KubeObject[]> => {
    try {
      return await withRetry(() => client.list(kind, { namespace, labelSelector }), {
        ...options.retry,
        retryOn: isTransient,
      });
    } catch (error) {
      if (isNotFound(error)) {
        missing.add(kind);
        return [];
      }
      throw readFailed(`list ${kind}${namespace ? ` in ${namespace}` : ''}`, error);
    }
  };
  const managed = `${LABELS.managed}=true`;

  const [
    accountCrd,
    dscCrd,
    dataScienceClusterApiVersion,
    accounts,
    servingRuntimes,
    dataScienceClusters,
    dashboardConfigs,
    ...managedObjects
  ] = await Promise.all([
    read(`read CustomResourceDefinition ${LEGACY.accountCrd}`, () =>
      client.get({ kind: 'CustomResourceDefinition', name: LEGACY.accountCrd }),
    ),
    read(`read CustomResourceDefinition ${NEIGHBOUR_CRDS.dataScienceCluster}`, () =>
      client.get({ kind: 'CustomResourceDefinition', name: NEIGHBOUR_CRDS.dataScienceCluster }),
    ),
    read('discover the DataScienceCluster version', () =>
      client.apiVersionOf('DataScienceCluster'),
    ),
    list('Account'),
    list('ServingRuntime'),
    list('DataScienceCluster'),
    list('OdhDashboardConfig', applicationsNamespace),
    // Where the Account CRD is gone, what Accounts owned is found by its label and owner.
    list('Secret', undefined, managed),
    list('ConfigMap', undefined, managed),
    list('Template', undefined, managed),
  ]);
  const parsedAccounts = accounts.map((item) => accountSchema.parse(item));

  const namespaceNames = new Set([applicationsNamespace]);
  for (const object of managedObjects.flat()) {
    const namespace = object.metadata.namespace;
    if (namespace && (object.metadata.ownerReferences ?? []).some(isAccountOwner)) {
      namespaceNames.add(namespace);
    }
  }
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

  const perNamespace: [string, NamespaceObjects][] = await Promise.all(
    [...namespaceNames].map(async (namespace): Promise<[string, NamespaceObjects]> => {
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
      return [
        namespace,
        {
          secrets,
          configMaps,
          templates,
          cronJobs,
          jobs,
          servingRuntimes: servingRuntimes.filter((sr) => sr.metadata.namespace === namespace),
          inferenceServices,
          pods,
        },
      ];
    }),
  );
  // In the order the names were found (the applications namespace first), not the order the
  // reads finished: the plan, and so the report, follows it.
  const namespaces: Record<string, NamespaceObjects> = Object.fromEntries(perNamespace);

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
    dataScienceClusterApiVersion,
    dscNimInSchema: crdDefinesField(
      dscCrd,
      dataScienceClusterApiVersion.split('/').pop() ?? '',
      DSC_NIM_PATH,
    ),
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
