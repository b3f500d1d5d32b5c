/** `spec.components.kserve.nim` of a DataScienceCluster, the field NVPE-413 removes. */
export const DSC_NIM_PATH = ['spec', 'components', 'kserve', 'nim'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether version `version` of a CRD (as plain JSON) declares the field at `path`: a property at
 * every step, or an object on the way that keeps unknown fields. False when the version is not
 * in the CRD, so the apiserver would prune or reject the field.
 */
export function crdDefinesField(crd: unknown, version: string, path: readonly string[]): boolean {
  const versions = isRecord(crd) && isRecord(crd['spec']) ? crd['spec']['versions'] : undefined;
  if (!Array.isArray(versions)) return false;
  const entry: unknown = versions.find((v: unknown) => isRecord(v) && v['name'] === version);
  let node: unknown =
    isRecord(entry) && isRecord(entry['schema']) ? entry['schema']['openAPIV3Schema'] : undefined;
  for (const segment of path) {
    if (!isRecord(node)) return false;
    const properties = node['properties'];
    const next = isRecord(properties) ? properties[segment] : undefined;
    if (next === undefined) return node['x-kubernetes-preserve-unknown-fields'] === true;
    node = next;
  }
  return isRecord(node);
}
