import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  loadYaml,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { isApiStatus, pollUntil } from './api-errors.js';
import { ControlPlaneError } from './errors.js';

/**
 * The project's own CRDs (KServe, OpenShift Template, ODH), one YAML file each: written to behave
 * as the upstream ones for what the product writes; the set `selectCrdSet` falls back to.
 */
export const TEST_CRDS_DIR = fileURLToPath(new URL('../../crds/', import.meta.url));

/** Path of one test CRD file by CRD name, e.g. `testCrdPath('accounts.nim.opendatahub.io')`. */
export function testCrdPath(crdName: string): string {
  return join(TEST_CRDS_DIR, `${crdName}.yaml`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The CRDs in YAML text (other kinds are ignored). Throws `invalid-crd` on a malformed one. */
export function parseCrdYaml(text: string, source = 'yaml'): V1CustomResourceDefinition[] {
  const crds: V1CustomResourceDefinition[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new ControlPlaneError(
        'invalid-crd',
        `${source}: ${doc.errors[0]?.message ?? 'bad YAML'}`,
      );
    }
    const value: unknown = doc.toJS();
    if (!isRecord(value) || value['kind'] !== 'CustomResourceDefinition') continue;
    const metadata = value['metadata'];
    const spec = value['spec'];
    if (
      value['apiVersion'] !== 'apiextensions.k8s.io/v1' ||
      !isRecord(metadata) ||
      !isRecord(spec)
    ) {
      throw new ControlPlaneError('invalid-crd', `${source}: not an apiextensions.k8s.io/v1 CRD`);
    }
    // NB: the typed client serializes by model property names; plain YAML keys such as
    // `x-kubernetes-preserve-unknown-fields` or `enum` would be dropped silently. Deserialize
    // into the model first, as client-node's own `loadYaml` does.
    crds.push(loadYaml<V1CustomResourceDefinition>(doc.toString()));
  }
  return crds;
}

/** Reads CRDs from files and directories (every `*.yaml`/`*.yml` in it, sorted). */
export async function readCrds(paths: readonly string[]): Promise<V1CustomResourceDefinition[]> {
  const crds: V1CustomResourceDefinition[] = [];
  for (const path of paths) {
    const files = (await stat(path)).isDirectory()
      ? (await readdir(path))
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(path, f))
      : [path];
    for (const file of files) crds.push(...parseCrdYaml(await readFile(file, 'utf8'), file));
  }
  return crds;
}

/** Options for {@link installCRDs} and {@link uninstallCRDs}. */
export interface CrdWaitOptions {
  /** How long to wait for the API server to serve (or stop serving) them. Default 30 s. */
  readonly timeoutMs?: number;
}

async function servedPlurals(kc: KubeConfig, group: string, version: string): Promise<Set<string>> {
  try {
    const list = await kc.makeApiClient(CustomObjectsApi).getAPIResources({ group, version });
    return new Set(list.resources.map((r) => r.name));
  } catch (error) {
    if (isApiStatus(error, 404)) return new Set();
    throw error;
  }
}

function servedVersions(crd: V1CustomResourceDefinition): string[] {
  return crd.spec.versions.filter((v) => v.served).map((v) => v.name);
}

/**
 * Creates (or replaces) the CRDs found in `paths` and waits until each is Established and
 * discovery serves it. Returns the CRD names.
 */
export async function installCRDs(
  kc: KubeConfig,
  paths: readonly string[],
  options: CrdWaitOptions = {},
): Promise<string[]> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const crds = await readCrds(paths);
  const timeoutMs = options.timeoutMs ?? 30_000;
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    try {
      await api.createCustomResourceDefinition({ body: crd });
    } catch (error) {
      if (!isApiStatus(error, 409)) {
        throw new ControlPlaneError('crd-failed', `cannot create CRD ${name}`, { cause: error });
      }
      const existing = await api.readCustomResourceDefinition({ name });
      await api.replaceCustomResourceDefinition({
        name,
        body: {
          ...crd,
          metadata: { ...crd.metadata, resourceVersion: existing.metadata?.resourceVersion },
        },
      });
    }
  }
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    await pollUntil(`CRD ${name} to be established`, timeoutMs, async () => {
      const current = await api.readCustomResourceDefinition({ name });
      const established = current.status?.conditions?.some(
        (c) => c.type === 'Established' && c.status === 'True',
      );
      return established ? true : undefined;
    });
    for (const version of servedVersions(crd)) {
      const { group } = crd.spec;
      const { plural } = crd.spec.names;
      await pollUntil(`discovery of ${group}/${version} ${plural}`, timeoutMs, async () =>
        (await servedPlurals(kc, group, version)).has(plural) ? true : undefined,
      );
      // Discovery comes first; reads answer 429 until the new storage's watch cache is ready.
      await pollUntil(`${group}/${version} ${plural} to be listable`, timeoutMs, async () => {
        await custom.listClusterCustomObject({ group, version, plural, limit: 1 });
        return true;
      });
    }
  }
  return crds.map((c) => c.metadata?.name ?? '');
}

/**
 * Deletes CRDs by name (a missing one is fine) and waits until they and their discovery
 * entries are gone, e.g. to test an upgrade on a cluster that never had the old CRD.
 */
export async function uninstallCRDs(
  kc: KubeConfig,
  names: readonly string[],
  options: CrdWaitOptions = {},
): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const timeoutMs = options.timeoutMs ?? 30_000;
  for (const name of names) {
    let crd: V1CustomResourceDefinition;
    try {
      crd = await api.readCustomResourceDefinition({ name });
      await api.deleteCustomResourceDefinition({ name });
    } catch (error) {
      if (isApiStatus(error, 404)) continue;
      throw new ControlPlaneError('crd-failed', `cannot delete CRD ${name}`, { cause: error });
    }
    // The apiextensions server removes instances itself, so deletion completes without a
    // controller manager.
    await pollUntil(`CRD ${name} to be deleted`, timeoutMs, async () => {
      try {
        await api.readCustomResourceDefinition({ name });
        return undefined;
      } catch (error) {
        if (isApiStatus(error, 404)) return true;
        throw error;
      }
    });
    for (const version of servedVersions(crd)) {
      await pollUntil(
        `${crd.spec.group}/${version} ${crd.spec.names.plural} to leave discovery`,
        timeoutMs,
        async () =>
          (await servedPlurals(kc, crd.spec.group, version)).has(crd.spec.names.plural)
            ? undefined
            : true,
      );
    }
  }
}
