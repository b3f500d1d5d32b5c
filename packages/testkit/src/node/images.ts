import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlPlaneError } from '../control-plane/errors.js';

/** The folder with the Go modules and build script of the node test images. */
export const TEST_IMAGES_TOOLS_DIR = fileURLToPath(
  new URL('../../../../tools/test-images/', import.meta.url),
);

/** An image saved as a tarball `ctr images import` takes, and the reference it carries. */
export interface TestImage {
  readonly tar: string;
  readonly ref: string;
}

/** What {@link buildTestImages} made. */
export interface TestImages {
  /** The sandbox image, `localhost/odh-nim/pause:<tag>`; containerd's `sandbox_image`. */
  readonly pause: TestImage;
  /** The NIM stand-in, `localhost/odh-nim/nim-standin:<version>`, serving a default name. */
  readonly nimStandin: TestImage;
  /** One stand-in per requested model, in the order asked. */
  readonly models: readonly TestImage[];
}

/** Static binaries of the images, for running them on the host. */
export interface TestBinaries {
  readonly pause: string;
  readonly nimStandin: string;
}

/** A stand-in image named like a real NIM image, serving the model a real one would. */
export interface ModelImageRequest {
  /** The image reference a ServingRuntime names, e.g. `nvcr.io/nim/meta/llama3-8b-instruct:1.0.0`. */
  readonly ref: string;
  /**
   * The name `/v1/models` answers. Default: derived from `ref` as NIM serves it, without the
   * registry and NGC's `nim/` team (`meta/llama3-8b-instruct`).
   */
  readonly servedModelName?: string;
}

/** How to run `tools/test-images/build.sh`. Each field documents its default. */
export interface BuildTestImagesOptions {
  /** Extra stand-in images, one per model reference. Default none. */
  readonly models?: readonly (string | ModelImageRequest)[];
  /** Receives build progress lines. Default: written to stderr. */
  readonly onProgress?: (line: string) => void;
  /**
   * Environment of the build. Default `process.env`; `NIM_TEST_ASSETS_CACHE` moves the cache
   * (`$NIM_TEST_ASSETS_CACHE/test-images/<hash>`, default `~/.cache/odh-nim/test-images/<hash>`).
   */
  readonly env?: NodeJS.ProcessEnv;
}

/** The `key=value` lines `build.sh` prints on stdout. Pure. */
export function parseBuildOutput(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return values;
}

function modelArg(model: string | ModelImageRequest): { ref: string; arg: string } {
  if (typeof model === 'string') return { ref: model, arg: model };
  const { ref, servedModelName } = model;
  return { ref, arg: servedModelName ? `${ref}=${servedModelName}` : ref };
}

/**
 * Builds (once; later calls take seconds) the pause and NIM stand-in images, plus a stand-in
 * per requested model, by running `tools/test-images/build.sh`. Throws a `ControlPlaneError` `build-failed`.
 */
export async function buildTestImages(options: BuildTestImagesOptions = {}): Promise<TestImages> {
  const models = (options.models ?? []).map(modelArg);
  const out = await runBuild(
    models.flatMap((m) => ['--model', m.arg]),
    options,
  );
  return {
    pause: { tar: required(out, 'pause.tar'), ref: required(out, 'pause.ref') },
    nimStandin: { tar: required(out, 'nim-standin.tar'), ref: required(out, 'nim-standin.ref') },
    models: models.map(({ ref }) => ({ tar: required(out, `model:${ref}`), ref })),
  };
}

/** Builds only the static `pause` and `nim-standin` binaries (no crane, no images). */
export async function buildTestBinaries(
  options: Omit<BuildTestImagesOptions, 'models'> = {},
): Promise<TestBinaries> {
  const out = await runBuild(['--binaries'], options);
  return { pause: required(out, 'pause.bin'), nimStandin: required(out, 'nim-standin.bin') };
}

function required(values: Map<string, string>, key: string): string {
  const value = values.get(key);
  if (!value) throw new ControlPlaneError('build-failed', `build.sh printed no ${key}=`);
  return value;
}

async function runBuild(
  args: readonly string[],
  options: Omit<BuildTestImagesOptions, 'models'>,
): Promise<Map<string, string>> {
  const script = join(TEST_IMAGES_TOOLS_DIR, 'build.sh');
  const onProgress = options.onProgress ?? ((line) => process.stderr.write(`${line}\n`));
  const result = await run('bash', [script, ...args], { env: options.env, onStderr: onProgress });
  if (result.code !== 0) {
    throw new ControlPlaneError(
      'build-failed',
      `${script} ${args.join(' ')} exited ${result.code}:\n${result.tail.join('\n')}`,
      { cause: result.error },
    );
  }
  return parseBuildOutput(result.stdout);
}

/** A containerd to talk to with `ctr`. */
export interface CtrTarget {
  /** containerd's socket, `--address`. */
  readonly address: string;
  /** Default `k8s.io`, the namespace the CRI plugin (so the kubelet) sees. */
  readonly namespace?: 'k8s.io';
  /** Unpack into this snapshotter. Default: containerd's (overlayfs). */
  readonly snapshotter?: string;
  /** Default `ctr` on the PATH. */
  readonly ctrPath?: string;
}

/** `ctr images import`: loads an image tarball, unpacked, under the reference it carries. */
export async function importImage(ctr: CtrTarget, tar: string): Promise<void> {
  const snapshotter = ctr.snapshotter ? ['--snapshotter', ctr.snapshotter] : [];
  await runCtr(ctr, ['images', 'import', ...snapshotter, tar]);
}

/**
 * `ctr images tag --force`: gives an imported image another reference, such as the exact
 * `nvcr.io/nim/<org>/<model>:<tag>` a ServingRuntime names, so the kubelet finds it without
 * a pull. Not `:latest`, which the kubelet always pulls.
 */
export async function tagImage(
  ctr: CtrTarget,
  sourceRef: string,
  targetRef: string,
): Promise<void> {
  await runCtr(ctr, ['images', 'tag', '--force', sourceRef, targetRef]);
}

async function runCtr(ctr: CtrTarget, args: readonly string[]): Promise<void> {
  const command = ctr.ctrPath ?? 'ctr';
  const full = ['--address', ctr.address, '-n', ctr.namespace ?? 'k8s.io', ...args];
  const result = await run(command, full, {});
  if (result.code !== 0) {
    throw new ControlPlaneError(
      'ctr-failed',
      `${command} ${full.join(' ')} exited ${result.code}:\n${result.tail.join('\n')}`,
      { cause: result.error },
    );
  }
}

interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  /** The last lines of stderr (and of stdout when no stderr handler). */
  readonly tail: readonly string[];
  readonly error?: Error;
}

function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv | undefined; onStderr?: (line: string) => void },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const tail: string[] = [];
    const keep = (line: string): void => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
    };
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        keep(line);
        options.onStderr?.(line);
      }
    });
    child.once('error', (error) => resolve({ code: null, stdout, tail, error }));
    child.once('close', (code) => {
      if (partial !== '') {
        keep(partial);
        options.onStderr?.(partial);
      }
      if (!options.onStderr) for (const line of stdout.split('\n')) if (line) keep(line);
      resolve({ code, stdout, tail });
    });
  });
}
