import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  RbacAuthorizationV1Api,
  type KubeConfig,
  type V1ClusterRole,
  type V1LabelSelector,
  type V1PolicyRule,
  type V1RoleBinding,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { isApiStatus, pollUntil } from './api-errors.js';

/**
 * ClusterRoles that KServe and OpenShift add to `view`/`edit`/`admin` on a real cluster
 * (InferenceServices, ServingRuntimes, Templates), written for these tests.
 */
export const TEST_CLUSTER_ROLES_DIR = fileURLToPath(new URL('../../rbac/', import.meta.url));

/** True when `labels` match a label selector (matchLabels and matchExpressions). Pure. */
export function matchesSelector(
  labels: Readonly<Record<string, string>>,
  selector: V1LabelSelector,
): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expr of selector.matchExpressions ?? []) {
    const value = labels[expr.key];
    const values = expr.values ?? [];
    const ok =
      expr.operator === 'In'
        ? value !== undefined && values.includes(value)
        : expr.operator === 'NotIn'
          ? value === undefined || !values.includes(value)
          : expr.operator === 'Exists'
            ? value !== undefined
            : expr.operator === 'DoesNotExist'
              ? value === undefined
              : false;
    if (!ok) return false;
  }
  return true;
}

/**
 * The rules each aggregated ClusterRole should have: the union of the rules of every
 * ClusterRole its selectors match, repeated until stable (`view` feeds `edit`, which feeds
 * `admin`). Pure; returns only the roles that have an aggregation rule.
 */
export function computeAggregatedRules(
  roles: readonly V1ClusterRole[],
): Map<string, V1PolicyRule[]> {
  const rules = new Map<string, V1PolicyRule[]>(
    roles.map((r) => [r.metadata?.name ?? '', r.rules ?? []]),
  );
  const aggregated = roles.filter(
    (r) => (r.aggregationRule?.clusterRoleSelectors?.length ?? 0) > 0,
  );
  for (let round = 0; round < 10; round++) {
    let changed = false;
    for (const target of aggregated) {
      const name = target.metadata?.name ?? '';
      const seen = new Set<string>();
      const union: V1PolicyRule[] = [];
      for (const source of roles) {
        const sourceName = source.metadata?.name ?? '';
        if (sourceName === name) continue;
        const labels = source.metadata?.labels ?? {};
        if (!target.aggregationRule?.clusterRoleSelectors?.some((s) => matchesSelector(labels, s)))
          continue;
        for (const rule of rules.get(sourceName) ?? []) {
          const key = JSON.stringify(rule);
          if (!seen.has(key)) {
            seen.add(key);
            union.push(rule);
          }
        }
      }
      if (JSON.stringify(union) !== JSON.stringify(rules.get(name))) {
        rules.set(name, union);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return new Map(
    aggregated.map((r) => [r.metadata?.name ?? '', rules.get(r.metadata?.name ?? '') ?? []]),
  );
}

/**
 * Fills in the rules of aggregated ClusterRoles (`admin`, `edit`, `view`, and any other with an
 * `aggregationRule`) once, as kube-controller-manager's aggregation controller would.
 *
 * Why: on a plane started with `controllers: false` the bootstrap `view`/`edit`/`admin`
 * ClusterRoles exist but have NO rules, and a RoleBinding to them grants nothing. The harness
 * calls this after start there; call it again after creating ClusterRoles labelled
 * `rbac.authorization.k8s.io/aggregate-to-*`. Returns the names of the roles it updated.
 */
export async function aggregateClusterRoles(kc: KubeConfig): Promise<string[]> {
  const api = kc.makeApiClient(RbacAuthorizationV1Api);
  const roles = (await api.listClusterRole()).items;
  const updated: string[] = [];
  for (const [name, rules] of computeAggregatedRules(roles)) {
    const role = roles.find((r) => r.metadata?.name === name);
    if (!role || JSON.stringify(role.rules ?? []) === JSON.stringify(rules)) continue;
    await api.replaceClusterRole({ name, body: { ...role, rules } });
    updated.push(name);
  }
  return updated;
}

async function yamlFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  return (await readdir(path))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(path, f));
}

/**
 * Creates or replaces the ClusterRoles in YAML files or directories (other kinds are
 * ignored). Call {@link aggregateClusterRoles} afterwards for aggregation labels to count.
 */
export async function applyClusterRoles(
  kc: KubeConfig,
  paths: readonly string[],
): Promise<string[]> {
  const api = kc.makeApiClient(RbacAuthorizationV1Api);
  const names: string[] = [];
  for (const path of paths) {
    for (const file of await yamlFiles(path)) {
      for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
        const role = doc.toJS() as V1ClusterRole & { kind?: string };
        if (role?.kind !== 'ClusterRole') continue;
        const name = role.metadata?.name ?? '';
        try {
          await api.createClusterRole({ body: role });
        } catch (error) {
          if (!isApiStatus(error, 409)) throw error;
          const existing = await api.readClusterRole({ name });
          await api.replaceClusterRole({
            name,
            body: {
              ...role,
              metadata: { ...role.metadata, resourceVersion: existing.metadata?.resourceVersion },
            },
          });
        }
        names.push(name);
      }
    }
  }
  return names;
}

/** Who gets access, and what access, in {@link grantNamespaceAccess}. */
export interface NamespaceAccess {
  readonly namespace: string;
  /** A user name (as in `addUser`); give this or `group`. */
  readonly user?: string;
  readonly group?: string;
  /** The bootstrap ClusterRole to bind. */
  readonly role: 'view' | 'edit' | 'admin';
}

/**
 * Binds a user or group to the `view`, `edit` or `admin` ClusterRole in one namespace, like
 * `oc adm policy add-role-to-user`. Relies on {@link aggregateClusterRoles} having filled those
 * roles (the harness does so at start). Idempotent; returns the RoleBinding.
 */
export async function grantNamespaceAccess(
  kc: KubeConfig,
  access: NamespaceAccess,
): Promise<V1RoleBinding> {
  const subject = access.user
    ? { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: access.user }
    : { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: access.group ?? '' };
  if (!subject.name) throw new Error('grantNamespaceAccess needs a user or a group');
  const name = `${access.role}-${subject.kind.toLowerCase()}-${subject.name}`
    .replace(/[^a-z0-9.-]/g, '-')
    .slice(0, 253);
  const body: V1RoleBinding = {
    metadata: { name, namespace: access.namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: access.role },
    subjects: [subject],
  };
  const api = kc.makeApiClient(RbacAuthorizationV1Api);
  try {
    return await api.createNamespacedRoleBinding({ namespace: access.namespace, body });
  } catch (error) {
    if (!isApiStatus(error, 409)) throw error;
    return api.readNamespacedRoleBinding({ name, namespace: access.namespace });
  }
}

/**
 * Waits until kube-controller-manager's aggregation controller has filled every aggregated
 * ClusterRole with the rules of the roles its selectors match, e.g. after
 * {@link applyClusterRoles}, so a RoleBinding to `edit` grants what a real cluster's would.
 */
export async function waitForClusterRoleAggregation(
  kc: KubeConfig,
  timeoutMs: number,
): Promise<void> {
  const api = kc.makeApiClient(RbacAuthorizationV1Api);
  await pollUntil('ClusterRole aggregation by kube-controller-manager', timeoutMs, async () => {
    const roles = (await api.listClusterRole()).items;
    for (const [name, expected] of computeAggregatedRules(roles)) {
      const actual = new Set(
        (roles.find((r) => r.metadata?.name === name)?.rules ?? []).map(ruleKey),
      );
      if (!expected.every((rule) => actual.has(ruleKey(rule)))) return undefined;
    }
    return true;
  });
}

/** A rule with its lists sorted, so the controller's order and ours compare equal. */
function ruleKey(rule: V1PolicyRule): string {
  const sorted = (list?: string[]): string[] => [...(list ?? [])].sort();
  return JSON.stringify([
    sorted(rule.apiGroups),
    sorted(rule.resources),
    sorted(rule.verbs),
    sorted(rule.resourceNames),
    sorted(rule.nonResourceURLs),
  ]);
}
