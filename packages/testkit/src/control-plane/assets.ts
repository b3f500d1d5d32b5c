import { spawn } from 'node:child_process';
import { access, constants, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlPlaneError } from './errors.js';

/** The binaries `tools/control-plane/build.sh` makes. */
export type AssetName =
  | 'kube-apiserver'
  | 'etcd'
  | 'kustomize'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kubelet';

/** Where to find the control-plane binaries. Each field documents its default. */
export interface AssetOptions {
  /**
   * A directory holding `kube-apiserver` and `etcd` (and `kustomize`), like envtest's.
   * Default: env `KUBEBUILDER_ASSETS`, else the build cache (see {@link assetsCacheDir}).
   */
  readonly binaryAssetsDirectory?: string;
  /** Path of `kube-apiserver`. Default: env `TEST_ASSET_KUBE_APISERVER`, else in the directory. */
  readonly kubeApiServerPath?: string;
  /** Path of `etcd`. Default: env `TEST_ASSET_ETCD`, else in the directory. */
  readonly etcdPath?: string;
  /** Path of `kustomize`. Default: env `TEST_ASSET_KUSTOMIZE`, else in the directory. */
  readonly kustomizePath?: string;
  /**
   * Path of `kube-controller-manager`. Default: env `TEST_ASSET_KUBE_CONTROLLER_MANAGER`, else
   * in the directory.
   */
  readonly kubeControllerManagerPath?: string;
  /** Path of `kube-scheduler`. Default: env `TEST_ASSET_KUBE_SCHEDULER`, else in the directory. */
  readonly kubeSchedulerPath?: string;
  /** Path of `kubelet`. Default: env `TEST_ASSET_KUBELET`, else in the directory. */
  readonly kubeletPath?: string;
  /**
   * Build binaries missing from the cache with `tools/control-plane/build.sh` (minutes, once).
   * Default true; env `NIM_TEST_ASSETS_NO_BUILD=1` turns it off. Never builds into a directory
   * or path given explicitly.
   */
  readonly build?: boolean;
  /** Receives build progress lines. Default: written to stderr. */
  readonly onProgress?: (line: string) => void;
}

/** Versions pinned in `tools/control-plane/versions.env`. */
export interface ControlPlaneVersions {
  readonly kubernetes: string;
  readonly etcd: string;
  readonly kustomize: string;
}

/** Where one binary is expected and why. */
export interface PlannedAsset {
  readonly name: AssetName;
  readonly path: string;
  /** `cache` paths may be built; the others were chosen by the caller. */
  readonly source: 'option' | 'env' | 'directory' | 'cache';
}

/** The folder with the Go modules and build script of the control plane. */
export const CONTROL_PLANE_TOOLS_DIR = fileURLToPath(
  new URL('../../../../tools/control-plane/', import.meta.url),
);

/** Parses `versions.env` (`KEY=value` lines, `#` comments). */
export function parseVersionsEnv(text: string): ControlPlaneVersions {
  const vars = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq > 0) vars.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const get = (key: string): string => {
    const value = vars.get(key);
    if (!value) throw new ControlPlaneError('assets-missing', `versions.env has no ${key}`);
    return value;
  };
  return {
    kubernetes: get('KUBERNETES_VERSION'),
    etcd: get('ETCD_VERSION'),
    kustomize: get('KUSTOMIZE_VERSION'),
  };
}

/** The pinned versions, read from `tools/control-plane/versions.env`. */
export async function readControlPlaneVersions(): Promise<ControlPlaneVersions> {
  return parseVersionsEnv(await readFile(join(CONTROL_PLANE_TOOLS_DIR, 'versions.env'), 'utf8'));
}

/**
 * The build cache for one Kubernetes version:
 * `${NIM_TEST_ASSETS_CACHE:-$HOME/.cache/odh-nim/control-plane}/<kubernetesVersion>`.
 */
export function assetsCacheDir(
  kubernetesVersion: string,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  const root = env['NIM_TEST_ASSETS_CACHE'] || join(home, '.cache', 'odh-nim', 'control-plane');
  return join(root, kubernetesVersion);
}

/** envtest's convention: `TEST_ASSET_` and the binary's name in upper snake case. */
export function assetEnvVar(name: AssetName): string {
  return `TEST_ASSET_${name.toUpperCase().replaceAll('-', '_')}`;
}

/**
 * Where each binary should be, by precedence: explicit option path, `TEST_ASSET_*` env,
 * `binaryAssetsDirectory` option, `KUBEBUILDER_ASSETS` env, then the build cache. Pure.
 */
export function planAssets(
  names: readonly AssetName[],
  options: AssetOptions,
  cacheDir: string,
  env: NodeJS.ProcessEnv = process.env,
): PlannedAsset[] {
  const explicit: Record<AssetName, string | undefined> = {
    'kube-apiserver': options.kubeApiServerPath,
    etcd: options.etcdPath,
    kustomize: options.kustomizePath,
    'kube-controller-manager': options.kubeControllerManagerPath,
    'kube-scheduler': options.kubeSchedulerPath,
    kubelet: options.kubeletPath,
  };
  return names.map((name): PlannedAsset => {
    const fromOption = explicit[name];
    if (fromOption) return { name, path: fromOption, source: 'option' };
    const fromEnv = env[assetEnvVar(name)];
    if (fromEnv) return { name, path: fromEnv, source: 'env' };
    const dir = options.binaryAssetsDirectory || env['KUBEBUILDER_ASSETS'];
    if (dir) return { name, path: join(dir, name), source: 'directory' };
    return { name, path: join(cacheDir, name), source: 'cache' };
  });
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute paths of the named binaries, building the missing cached ones first when allowed.
 * Throws `assets-missing` or `build-failed`.
 */
export async function resolveAssets<N extends AssetName>(
  names: readonly N[],
  options: AssetOptions = {},
): Promise<Record<N, string>> {
  const versions = await readControlPlaneVersions();
  const planned = planAssets(names, options, assetsCacheDir(versions.kubernetes));
  const missing: PlannedAsset[] = [];
  for (const asset of planned) if (!(await isExecutable(asset.path))) missing.push(asset);

  const notBuildable = missing.filter((a) => a.source !== 'cache');
  if (notBuildable.length > 0) {
    throw new ControlPlaneError(
      'assets-missing',
      notBuildable.map((a) => `${a.name} not found at ${a.path} (from ${a.source})`).join('; '),
    );
  }
  if (missing.length > 0) {
    const build = options.build ?? process.env['NIM_TEST_ASSETS_NO_BUILD'] !== '1';
    if (!build) {
      throw new ControlPlaneError(
        'assets-missing',
        `${missing.map((a) => a.path).join(', ')} missing; run tools/control-plane/build.sh`,
      );
    }
    await buildAssets(
      missing.map((a) => a.name),
      options.onProgress,
    );
  }
  return Object.fromEntries(planned.map((a) => [a.name, a.path])) as Record<N, string>;
}

/** Resolves `kustomize` like the other binaries (env `TEST_ASSET_KUSTOMIZE`), building it if needed. */
export async function resolveKustomize(options: AssetOptions = {}): Promise<string> {
  return (await resolveAssets(['kustomize'], options)).kustomize;
}

/** Runs `tools/control-plane/build.sh` for the named binaries, streaming its progress. */
export async function buildAssets(
  names: readonly AssetName[],
  onProgress: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<void> {
  const script = join(CONTROL_PLANE_TOOLS_DIR, 'build.sh');
  const tail: string[] = [];
  const child = spawn('bash', [script, ...names], { stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue;
      onProgress(line);
      tail.push(line);
      if (tail.length > 40) tail.shift();
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).catch((cause: unknown) => {
    throw new ControlPlaneError('build-failed', `cannot run ${script}`, { cause });
  });
  if (code !== 0) {
    throw new ControlPlaneError(
      'build-failed',
      `${script} ${names.join(' ')} exited ${code}:\n${tail.join('\n')}`,
    );
  }
}
