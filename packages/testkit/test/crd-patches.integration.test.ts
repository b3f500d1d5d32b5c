// The product's CRD patches (manifests/crd) give the same schema three ways: `kustomize build`
// of a kustomization with the CRD and the Component (how odh-dashboard and opendatahub-operator
// ship them), the JSON patch the harness sends to the live CRD, and the CRD the shared control
// plane serves. On the upstream CRDs when ../shared has them, and on the project's own.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { CustomObjectsApi, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import {
  ALL_CRD_PATCHES,
  CRD_PATCHES_DIR,
  applyCrdPatches,
  applyJsonPatch,
  findUpstreamCrds,
  readCrdPatch,
  resolveKustomize,
  selectCrdSet,
  testCrdPath,
  type CrdPatch,
} from '@odh-nim/testkit';
import { adminKubeConfig, crdSetInfo } from '@odh-nim/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const upstream = findUpstreamCrds();
const quiet = { onProgress: () => undefined };

/** The CRD file of each set a patch applies to; the upstream one only when ../shared has it. */
const SOURCES: [set: string, patch: CrdPatch, file: string][] = ALL_CRD_PATCHES.flatMap(
  (patch): [string, CrdPatch, string][] => [
    ['project', patch, testCrdPath(patch.crd)],
    ...(upstream.missing.length === 0
      ? [['upstream', patch, upstream.paths[patch.crd]] as [string, CrdPatch, string]]
      : []),
  ],
);

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crd-patches-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/**
 * `kustomize build` of `file` with manifests/crd as a Component, as a consumer would write it.
 * The CRD is copied into a temporary directory (kustomize loads resources from below its root).
 */
async function kustomizeWithPatches(file: string): Promise<V1CustomResourceDefinition> {
  const dir = await mkdtemp(join(work, 'build-'));
  await copyFile(file, join(dir, basename(file)));
  await writeFile(
    join(dir, 'kustomization.yaml'),
    [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      `  - ${basename(file)}`,
      'components:',
      `  - ${relative(dir, CRD_PATCHES_DIR)}`,
      '',
    ].join('\n'),
  );
  const { stdout } = await promisify(execFile)(await resolveKustomize(quiet), ['build', dir], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const docs = parseAllDocuments(stdout).map((doc) => doc.toJS() as V1CustomResourceDefinition);
  expect(docs).toHaveLength(1);
  return docs[0] as V1CustomResourceDefinition;
}

function schemas(crd: V1CustomResourceDefinition): Record<string, unknown> {
  return Object.fromEntries(crd.spec.versions.map((v) => [v.name, v.schema?.openAPIV3Schema]));
}

describe('kustomize build with manifests/crd', () => {
  it.each(SOURCES.map(([set, patch, file]) => [`${patch.name} on the ${set} CRD`, patch, file]))(
    '%s gives what the harness JSON patch gives',
    async (_name, patch, file) => {
      const plain = parse(await readFile(file, 'utf8')) as V1CustomResourceDefinition;
      const byHarness = applyJsonPatch(plain, await readCrdPatch(patch));
      const byKustomize = await kustomizeWithPatches(file);
      expect(byKustomize).toEqual(byHarness);
      expect(schemas(byKustomize)).not.toEqual(schemas(JSON.parse(JSON.stringify(plain))));
    },
    60_000,
  );

  it('leaves a kustomization without those CRDs alone', async () => {
    const byKustomize = await kustomizeWithPatches(testCrdPath('accounts.nim.opendatahub.io'));
    expect(byKustomize).toEqual(
      JSON.parse(
        JSON.stringify(parse(await readFile(testCrdPath('accounts.nim.opendatahub.io'), 'utf8'))),
      ),
    );
  });
});

describe('the shared control plane', () => {
  it('serves the chosen CRD set with both patches, exactly as kustomize builds them', async () => {
    const info = crdSetInfo();
    expect(info.patches).toEqual(ALL_CRD_PATCHES.map((p) => p.name));
    const set = selectCrdSet({ ...quiet, set: info.name });
    // NB: as plain JSON; the typed client's models rename x-kubernetes-* and friends.
    const custom = adminKubeConfig().makeApiClient(CustomObjectsApi);
    for (const patch of ALL_CRD_PATCHES) {
      const live = (await custom.getClusterCustomObject({
        group: 'apiextensions.k8s.io',
        version: 'v1',
        plural: 'customresourcedefinitions',
        name: patch.crd,
      })) as V1CustomResourceDefinition;
      const byKustomize = await kustomizeWithPatches(set.paths[patch.crd]);
      expect(JSON.parse(JSON.stringify(schemas(live))), patch.name).toEqual(schemas(byKustomize));
    }
  }, 60_000);

  it('skips patches already served', async () => {
    expect(await applyCrdPatches(adminKubeConfig(), ALL_CRD_PATCHES)).toEqual([]);
  });
});
