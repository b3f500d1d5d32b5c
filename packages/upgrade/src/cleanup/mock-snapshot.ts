import { LEGACY } from '@odh-nim/contract';

import type { Account, KubeObject } from '../k8s/objects.js';
import type { CleanupSnapshot, NamespaceObjects } from './snapshot.js';

/** Applications namespace of the unit-test snapshots. */
export const APPS = 'apps';

/** A fresh object with a uid and resourceVersion; override what the test is about. */
export function mockObject(
  namespace: string | undefined,
  name: string,
  overrides: Partial<KubeObject['metadata']> & { extra?: Record<string, unknown> } = {},
): KubeObject {
  const { extra, ...metadata } = overrides;
  return {
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      uid: `uid-${namespace ?? 'cluster'}-${name}`,
      resourceVersion: '1',
      ...metadata,
    },
    ...extra,
  };
}

/** An Account with the usual finalizer and status references (`<name>-cm`, …). */
export function mockAccount(
  namespace: string,
  name: string = LEGACY.defaultAccountName,
  overrides: Partial<Account> = {},
): Account {
  return {
    ...mockObject(namespace, name, { finalizers: [LEGACY.accountFinalizer] }),
    spec: { apiKeySecret: { name: LEGACY.adminKeySecret } },
    status: {
      nimConfig: { name: `${name}${LEGACY.ownedSuffixes.configMap}` },
      runtimeTemplate: { name: `${name}${LEGACY.ownedSuffixes.template}` },
      nimPullSecret: { name: `${name}${LEGACY.ownedSuffixes.pullSecret}` },
    },
    ...overrides,
  };
}

/** An ownerReference to `account`, as the old controller set it. */
export function ownedBy(account: Account): NonNullable<KubeObject['metadata']['ownerReferences']> {
  return [
    {
      apiVersion: 'nim.opendatahub.io/v1',
      kind: 'Account',
      name: account.metadata.name,
      uid: account.metadata.uid ?? '',
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
}

/** An empty namespace, with the given lists. */
export function mockNamespace(objects: Partial<NamespaceObjects> = {}): NamespaceObjects {
  return {
    secrets: [],
    configMaps: [],
    templates: [],
    cronJobs: [],
    jobs: [],
    servingRuntimes: [],
    inferenceServices: [],
    pods: [],
    ...objects,
  };
}

/** A snapshot of a cluster with nothing of the old design; override what the test is about. */
export function mockSnapshot(overrides: Partial<CleanupSnapshot> = {}): CleanupSnapshot {
  const namespaces = overrides.namespaces ?? { [APPS]: mockNamespace() };
  return {
    applicationsNamespace: APPS,
    accountCrd: undefined,
    accounts: [],
    servingRuntimes: Object.values(namespaces).flatMap((ns) => ns.servingRuntimes),
    dataScienceClusters: [],
    dataScienceClusterApiVersion: 'datasciencecluster.opendatahub.io/v2',
    dscNimInSchema: true,
    dashboardConfig: undefined,
    missingKinds: [],
    ...overrides,
    namespaces,
  };
}
