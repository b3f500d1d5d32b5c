// Pure and browser-safe: the upgrade and the dashboard's delete both ask what a workload uses.
/** Names of the Secrets, ConfigMaps and PVCs an object's pod template uses. */
export interface WorkloadReferences {
  secrets: Set<string>;
  configMaps: Set<string>;
  persistentVolumeClaims: Set<string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nameOf(value: unknown, field = 'name'): string | undefined {
  if (!isRecord(value)) return undefined;
  const name = value[field];
  return typeof name === 'string' && name.length > 0 ? name : undefined;
}

function add(set: Set<string>, name: string | undefined): void {
  if (name) set.add(name);
}

/**
 * Every Secret, ConfigMap and PVC a Pod, a ServingRuntime or an InferenceService uses: env
 * `secretKeyRef`/`configMapKeyRef`, `envFrom`, `imagePullSecrets`, volumes (`secret`,
 * `configMap`, `projected`, `persistentVolumeClaim`) and the `*SecretRef` of CSI and storage
 * volumes.
 *
 * Walks the whole object rather than a fixed path, because the pod template sits in a different
 * place in each of the three kinds (`spec`, `spec`, `spec.predictor`/`model`/`transformer`/…).
 * A false positive only keeps an object that could have gone; a missed path would delete one a
 * workload needs.
 */
export function collectReferences(object: unknown): WorkloadReferences {
  const found: WorkloadReferences = {
    secrets: new Set(),
    configMaps: new Set(),
    persistentVolumeClaims: new Set(),
  };
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (key === 'secretKeyRef' || /secretref$/i.test(key)) add(found.secrets, nameOf(child));
      else if (key === 'imagePullSecrets' && Array.isArray(child)) {
        for (const item of child) add(found.secrets, nameOf(item));
      } else if (key === 'secret') {
        // A volume names it `secretName`, a projected source `name`.
        add(found.secrets, nameOf(child, 'secretName') ?? nameOf(child));
      } else if (key === 'secretName' && typeof child === 'string') add(found.secrets, child);
      else if (key === 'configMapKeyRef' || key === 'configMapRef' || key === 'configMap') {
        add(found.configMaps, nameOf(child));
      } else if (key === 'persistentVolumeClaim') {
        add(found.persistentVolumeClaims, nameOf(child, 'claimName'));
      }
      visit(child);
    }
  };
  visit(object);
  return found;
}
