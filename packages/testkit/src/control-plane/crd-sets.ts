import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiException,
  ApiextensionsV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { pollUntil } from './api-errors.js';
import { testCrdPath, type CrdWaitOptions } from './crds.js';
import { ControlPlaneError } from './errors.js';
import { parseJsonPatch, type JsonPatchOperation } from './json-patch.js';

/** The repository's root directory. */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The product's CRD patches (`manifests/crd/`), JSON 6902 files with their kustomization. */
export const CRD_PATCHES_DIR = join(REPO_ROOT, 'manifests', 'crd');

/** The CRD of each kind the project reads or writes, by name. */
export const CRD_NAMES = {
  account: 'accounts.nim.opendatahub.io',
  dataScienceCluster: 'datascienceclusters.datasciencecluster.opendatahub.io',
  dscInitialization: 'dscinitializations.dscinitialization.opendatahub.io',
  hardwareProfile: 'hardwareprofiles.infrastructure.opendatahub.io',
  dashboardConfig: 'odhdashboardconfigs.opendatahub.io',
  servingRuntime: 'servingruntimes.serving.kserve.io',
  clusterServingRuntime: 'clusterservingruntimes.serving.kserve.io',
  inferenceService: 'inferenceservices.serving.kserve.io',
  template: 'templates.template.openshift.io',
} as const;

/** Name of a CRD both sets hold, e.g. `accounts.nim.opendatahub.io`. */
export type TestCrdName = (typeof CRD_NAMES)[keyof typeof CRD_NAMES];

/** A CRD with an upstream file: every one but OpenShift's Template (an aggregated API there). */
export type UpstreamCrdName = Exclude<TestCrdName, typeof CRD_NAMES.template>;

/** Where each upstream CRD is, relative to the shared directory (see their READMEs there). */
export const UPSTREAM_CRD_FILES: Readonly<Record<UpstreamCrdName, string>> = {
  [CRD_NAMES.account]: 'upstream-crds/nim.opendatahub.io_accounts.yaml',
  [CRD_NAMES.dataScienceCluster]:
    'upstream-crds/datasciencecluster.opendatahub.io_datascienceclusters.yaml',
  [CRD_NAMES.dscInitialization]:
    'upstream-crds/dscinitialization.opendatahub.io_dscinitializations.yaml',
  [CRD_NAMES.hardwareProfile]: 'upstream-crds/infrastructure.opendatahub.io_hardwareprofiles.yaml',
  [CRD_NAMES.dashboardConfig]: 'upstream-crds/odhdashboardconfigs.opendatahub.io.crd.yaml',
  [CRD_NAMES.servingRuntime]: 'kserve-crds/serving.kserve.io_servingruntimes.yaml',
  [CRD_NAMES.clusterServingRuntime]: 'kserve-crds/serving.kserve.io_clusterservingruntimes.yaml',
  [CRD_NAMES.inferenceService]: 'kserve-crds/serving.kserve.io_inferenceservices.yaml',
};

/**
 * The directory with `upstream-crds/` and `kserve-crds/`: env `NIM_SHARED_DIR`, else `shared`
 * beside the repository (`<repo>/../shared`). Its files are data: read there, never copied.
 */
export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['NIM_SHARED_DIR'] || resolve(REPO_ROOT, '..', 'shared');
}

/** The upstream CRD files under `dir`, and which of them are missing. */
export function findUpstreamCrds(dir: string = sharedDir()): {
  readonly paths: Readonly<Record<UpstreamCrdName, string>>;
  readonly missing: readonly string[];
} {
  const paths = {} as Record<UpstreamCrdName, string>;
  const missing: string[] = [];
  for (const [name, file] of Object.entries(UPSTREAM_CRD_FILES) as [UpstreamCrdName, string][]) {
    paths[name] = join(dir, file);
    if (!existsSync(paths[name])) missing.push(file);
  }
  return { paths, missing };
}

/** A set of CRDs to install: one file per {@link TestCrdName}. */
export interface CrdSet {
  /** `upstream`: the real CRDs from the shared directory; `project`: `packages/testkit/crds`. */
  readonly name: 'upstream' | 'project';
  /** For people, e.g. `upstream (../shared) + project Template`. */
  readonly label: string;
  /** The file of each CRD. */
  readonly paths: Readonly<Record<TestCrdName, string>>;
  /** Every file, for `startControlPlane({ crds })`. */
  readonly files: readonly string[];
}

/** Options of {@link selectCrdSet}. */
export interface CrdSetOptions {
  /**
   * `upstream` (throws `assets-missing` when a file is missing), `project`, or `auto`: upstream
   * when the shared directory has every file, else project. Default: env `NIM_TEST_CRD_SET`,
   * else `auto`.
   */
  readonly set?: 'upstream' | 'project' | 'auto';
  /** Default: {@link sharedDir} (env `NIM_SHARED_DIR`, else `<repo>/../shared`). */
  readonly sharedDir?: string;
  /** Receives the line that names the chosen set. Default: written to stderr. */
  readonly onProgress?: (line: string) => void;
}

function projectPaths(): Record<TestCrdName, string> {
  const paths = {} as Record<TestCrdName, string>;
  for (const name of Object.values(CRD_NAMES)) paths[name] = testCrdPath(name);
  return paths;
}

/**
 * The CRDs tests install: the upstream ones when the shared directory has them all (plus the
 * project's Template, which has no upstream CRD), else the project's own. Says which.
 */
export function selectCrdSet(options: CrdSetOptions = {}): CrdSet {
  const fromEnv = options.set === undefined && process.env['NIM_TEST_CRD_SET'] !== undefined;
  const choice = options.set ?? process.env['NIM_TEST_CRD_SET'] ?? 'auto';
  if (choice !== 'upstream' && choice !== 'project' && choice !== 'auto') {
    throw new ControlPlaneError(
      'assets-missing',
      `NIM_TEST_CRD_SET must be upstream, project or auto, not '${choice}'`,
    );
  }
  const dir = options.sharedDir ?? sharedDir();
  const shown = resolve(dir) === resolve(REPO_ROOT, '..', 'shared') ? '../shared' : dir;
  const upstream = findUpstreamCrds(dir);
  const all = upstream.missing.length === Object.keys(UPSTREAM_CRD_FILES).length;
  let why: string | undefined;
  if (choice === 'project') why = fromEnv ? 'NIM_TEST_CRD_SET=project' : 'asked for';
  else if (choice === 'auto' && upstream.missing.length > 0) {
    why = `${shown} lacks ${all ? 'the upstream CRDs' : upstream.missing.join(', ')}`;
  }
  let set: CrdSet;
  if (why !== undefined) {
    const paths = projectPaths();
    set = {
      name: 'project',
      label: `project (packages/testkit/crds; ${why})`,
      paths,
      files: Object.values(paths),
    };
  } else {
    if (upstream.missing.length > 0) {
      throw new ControlPlaneError(
        'assets-missing',
        `upstream CRDs requested, but ${dir} lacks ${upstream.missing.join(', ')}`,
      );
    }
    const paths = { ...upstream.paths, [CRD_NAMES.template]: testCrdPath(CRD_NAMES.template) };
    set = {
      name: 'upstream',
      label: `upstream (${shown}) + project Template`,
      paths,
      files: Object.values(paths),
    };
  }
  const progress = options.onProgress ?? ((line: string) => process.stderr.write(`${line}\n`));
  progress(`[control-plane] CRDs: ${set.label}`);
  return set;
}

/**
 * A strict server-side dry-run create that tells whether the apiserver serves a patched schema:
 * the patch is in effect when the object is accepted (`unknownField` unset) or rejected with
 * exactly `unknown field "<unknownField>"`.
 */
export interface CrdPatchProbe {
  readonly version: string;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly unknownField?: string;
}

/** A JSON 6902 patch of `manifests/crd/` and the CRD it targets. */
export interface CrdPatch {
  /** e.g. `odhdashboardconfig-nimconfig`. */
  readonly name: string;
  readonly crd: UpstreamCrdName;
  readonly file: string;
  readonly probes: readonly CrdPatchProbe[];
}

/** The product's CRD patches (issue NVPE-413, SPEC 3.1), as a cluster would apply them. */
export const CRD_PATCHES = {
  /** odh-dashboard's OdhDashboardConfig gains `spec.nimConfig`. */
  dashboardConfigNimConfig: {
    name: 'odhdashboardconfig-nimconfig',
    crd: CRD_NAMES.dashboardConfig,
    file: join(CRD_PATCHES_DIR, 'odhdashboardconfig-nimconfig.patch.yaml'),
    probes: [
      {
        version: 'v1alpha',
        spec: { nimConfig: { disconnected: { disableKeyCollection: true } } },
      },
    ],
  },
  /** opendatahub-operator's DataScienceCluster loses `spec.components.kserve.nim`. */
  dataScienceClusterNoNim: {
    name: 'datasciencecluster-remove-nim',
    crd: CRD_NAMES.dataScienceCluster,
    file: join(CRD_PATCHES_DIR, 'datasciencecluster-remove-nim.patch.yaml'),
    probes: ['v1', 'v2'].map((version) => ({
      version,
      spec: { components: { kserve: { nim: {} } } },
      unknownField: 'spec.components.kserve.nim',
    })),
  },
} as const satisfies Record<string, CrdPatch>;

/** Both product patches. */
export const ALL_CRD_PATCHES: readonly CrdPatch[] = Object.values(CRD_PATCHES);

/** The operations of a patch file. */
export async function readCrdPatch(patch: Pick<CrdPatch, 'file'>): Promise<JsonPatchOperation[]> {
  return parseJsonPatch(await readFile(patch.file, 'utf8'), patch.file);
}

function statusMessage(error: ApiException<unknown>): string {
  try {
    const body: unknown = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
    if (typeof body === 'object' && body !== null && 'message' in body) {
      return String(body.message);
    }
  } catch {
    // Not a Status: fall back to the exception's text.
  }
  return error.message;
}

/** True when the probe sees the patched schema, false when it still sees the old one. */
async function probeSeesPatch(
  kc: KubeConfig,
  crd: V1CustomResourceDefinition,
  probe: CrdPatchProbe,
): Promise<boolean> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const { group, names, scope } = crd.spec;
  const body = {
    apiVersion: `${group}/${probe.version}`,
    kind: names.kind,
    metadata: { name: 'crd-patch-probe' },
    spec: probe.spec,
  };
  const common = { group, version: probe.version, plural: names.plural, body };
  const query = { dryRun: 'All', fieldValidation: 'Strict' };
  let rejection: string | undefined;
  try {
    if (scope === 'Namespaced') {
      await custom.createNamespacedCustomObject({ ...common, namespace: 'default', ...query });
    } else {
      await custom.createClusterCustomObject({ ...common, ...query });
    }
  } catch (error) {
    if (!(error instanceof ApiException) || error.code !== 400) throw error;
    rejection = statusMessage(error);
    if (!rejection.includes('unknown field')) {
      throw new ControlPlaneError('crd-failed', `probe of ${crd.metadata?.name}: ${rejection}`);
    }
  }
  if (probe.unknownField === undefined) return rejection === undefined;
  return rejection?.includes(`unknown field "${probe.unknownField}"`) ?? false;
}

/**
 * Applies CRD patches to the live CRDs as `application/json-patch+json`, as `kubectl patch
 * --type=json` would, and waits until the apiserver serves each patched schema. A patch whose
 * effect is already served is skipped, so this may run twice. Returns the names applied.
 */
export async function applyCrdPatches(
  kc: KubeConfig,
  patches: readonly CrdPatch[] = ALL_CRD_PATCHES,
  options: CrdWaitOptions = {},
): Promise<string[]> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const applied: string[] = [];
  for (const patch of patches) {
    const crd = await api.readCustomResourceDefinition({ name: patch.crd });
    const seen = await Promise.all(patch.probes.map((probe) => probeSeesPatch(kc, crd, probe)));
    if (seen.every(Boolean)) continue;
    try {
      await api.patchCustomResourceDefinition(
        { name: patch.crd, body: await readCrdPatch(patch) },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
    } catch (error) {
      throw new ControlPlaneError('crd-failed', `cannot apply ${patch.name} to ${patch.crd}`, {
        cause: error,
      });
    }
    // NB: the apiserver swaps a CRD's storage and schema asynchronously after an update.
    for (const probe of patch.probes) {
      await pollUntil(`${patch.name} to be served (${probe.version})`, timeoutMs, async () =>
        (await probeSeesPatch(kc, crd, probe)) ? true : undefined,
      );
    }
    applied.push(patch.name);
  }
  return applied;
}
