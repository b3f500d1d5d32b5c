import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

/** Where `generate` writes by default, relative to the repository root. */
export const DEFAULT_OUTPUT_PATH = 'manifests/nim/nvidia-nim-models-data.yaml';

/**
 * The nearest directory at or above `start` whose `package.json` declares `workspaces` (this
 * monorepo's root), or `undefined` outside such a tree.
 */
export async function findRepoRoot(start: string): Promise<string | undefined> {
  let directory = resolve(start);
  for (;;) {
    if (await declaresWorkspaces(join(directory, 'package.json'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * The output file: `output` resolved against `cwd` when given, else {@link DEFAULT_OUTPUT_PATH}
 * under the repository root, or under `cwd` outside a repository.
 */
export async function resolveOutputPath(output: string | undefined, cwd: string): Promise<string> {
  if (output !== undefined) return resolve(cwd, output);
  const root = (await findRepoRoot(cwd)) ?? resolve(cwd);
  return join(root, DEFAULT_OUTPUT_PATH);
}

async function declaresWorkspaces(path: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return false;
  }
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null && 'workspaces' in json;
  } catch {
    return false;
  }
}

/** `path` relative to `cwd` when it lies below it, else absolute: short, unambiguous messages. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}
