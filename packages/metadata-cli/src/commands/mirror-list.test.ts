import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';

import { buildImageReference, parseModelsConfigMap, type ModelEntry } from '@odh-nim/contract';

import { run } from '../cli.js';
import { EXIT_CODES } from '../errors.js';
import { DEFAULT_OUTPUT_PATH } from '../repo-root.js';
import { createMemoryIo, type MemoryIo } from '../test-helpers.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const KSERVE_CONFIG = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: inferenceservice-config',
  '  namespace: redhat-ods-applications',
  'data:',
  '  agent: |-',
  '    {',
  '        "image" : "quay.io/opendatahub/kserve-agent:v0.15.0",',
  '        "memoryRequest": "100Mi"',
  '    }',
  '',
].join('\n');

let shipped: ModelEntry[];
let dir: string;

beforeAll(async () => {
  shipped = parseModelsConfigMap(await readFile(join(repoRoot, DEFAULT_OUTPUT_PATH), 'utf8'), {
    strict: true,
  }).models;
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nim-mirror-'));
  return () => rm(dir, { recursive: true, force: true });
});

/** Runs `nim-metadata mirror-list` in-process from the repository root (the shipped catalog). */
async function mirrorList(args: string[]): Promise<{ code: number; io: MemoryIo }> {
  const io = createMemoryIo({ cwd: repoRoot });
  return { code: await run(['mirror-list', ...args], io), io };
}

function imagesOfImageSet(text: string): string[] {
  const parsed: unknown = YAML.parse(text);
  expect(parsed).toMatchObject({
    kind: 'ImageSetConfiguration',
    apiVersion: 'mirror.openshift.io/v2alpha1',
  });
  const { mirror } = parsed as { mirror: { additionalImages: { name: string }[] } };
  return mirror.additionalImages.map((image) => image.name);
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

describe('nim-metadata mirror-list, on the shipped catalog', () => {
  it('writes an ImageSetConfiguration with every model at its latest tag', async () => {
    const { code, io } = await mirrorList([]);
    expect(code, io.err()).toBe(EXIT_CODES.ok);
    const images = imagesOfImageSet(io.out());
    expect(shipped).toHaveLength(180);
    expect(sorted(images)).toEqual(
      sorted(shipped.map((model) => `nvcr.io/${model.namespace}/${model.name}:${model.latestTag}`)),
    );
    expect(io.err()).toContain('180 of 180 models, 180 images (latest tag).');
  });

  it('writes a plain list with every tag of every model', async () => {
    const { code, io } = await mirrorList(['--format', 'list', '--tags', 'all']);
    expect(code, io.err()).toBe(EXIT_CODES.ok);
    const lines = io.out().trimEnd().split('\n');
    const expected = shipped.flatMap((model) =>
      model.tags.map((tag) => buildImageReference(model, tag)),
    );
    expect(new Set(lines).size).toBe(lines.length);
    expect(sorted(lines)).toEqual(sorted(expected));
    expect(io.err()).toContain(`180 of 180 models, ${expected.length} images (every tag).`);
  });

  it('filters by name, and refuses a name the catalog does not have', async () => {
    const llamas = shipped.filter((model) => model.name.startsWith('llama-3.1-'));
    const { code, io } = await mirrorList(['--format', 'list', '--model', 'llama-3.1-*']);
    expect(code, io.err()).toBe(EXIT_CODES.ok);
    expect(llamas.length).toBeGreaterThan(1);
    expect(sorted(io.out().trimEnd().split('\n'))).toEqual(
      sorted(llamas.map((model) => buildImageReference(model, model.latestTag))),
    );
    const unknown = await mirrorList(['--model', 'no-such-model']);
    expect(unknown.code).toBe(EXIT_CODES.usage);
    expect(unknown.io.err()).toContain('No model in manifests/nim/nvidia-nim-models-data.yaml');
  });

  it("adds KServe's model-agent image from its inferenceservice-config", async () => {
    await writeFile(join(dir, 'isvc-config.yaml'), KSERVE_CONFIG);
    const { code, io } = await mirrorList(['--kserve-config', join(dir, 'isvc-config.yaml')]);
    expect(code, io.err()).toBe(EXIT_CODES.ok);
    const images = imagesOfImageSet(io.out());
    expect(images).toHaveLength(181);
    expect(images.at(-1)).toBe('quay.io/opendatahub/kserve-agent:v0.15.0');

    await writeFile(join(dir, 'other.yaml'), 'kind: ConfigMap\ndata: {}\n');
    const wrong = await mirrorList(['--kserve-config', join(dir, 'other.yaml')]);
    expect(wrong.code).toBe(EXIT_CODES.usage);
    expect(wrong.io.err()).toContain("is not KServe's inferenceservice-config");
  });

  it('prints the ImageTagMirrorSet that maps each image to the mirror the dashboard names', async () => {
    const registry = 'mirror.example.com:5000/nvidia';
    const refused = await mirrorList(['--registry', registry]);
    expect(refused.code).toBe(EXIT_CODES.usage);

    const output = join(dir, 'imageset.yaml');
    const { code, io } = await mirrorList(['--registry', registry, '-o', output]);
    expect(code, io.err()).toBe(EXIT_CODES.ok);
    const mirrorSet = YAML.parse(io.out()) as {
      kind: string;
      spec: { imageTagMirrors: { source: string; mirrors: string[] }[] };
    };
    expect(mirrorSet.kind).toBe('ImageTagMirrorSet');
    const [rule] = mirrorSet.spec.imageTagMirrors;
    // Rewritten by the rule, each image is where the dashboard's --registry points.
    const images = imagesOfImageSet(await readFile(output, 'utf8'));
    expect(images.length).toBe(180);
    for (const [index, image] of images.entries()) {
      expect(image.startsWith(`${rule?.source}/`)).toBe(true);
      const mirrored = `${rule?.mirrors[0]}${image.slice(rule?.source.length)}`;
      const model = shipped.find((entry) => image.includes(`/${entry.name}:`));
      expect(model, `image ${index}`).toBeDefined();
      if (model) expect(mirrored).toBe(buildImageReference(model, model.latestTag, { registry }));
    }
    expect((await mirrorList(['--registry', 'not a registry', '-o', output])).code).toBe(
      EXIT_CODES.usage,
    );
  });
});
