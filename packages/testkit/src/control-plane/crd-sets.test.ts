import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  ALL_CRD_PATCHES,
  CRD_NAMES,
  CRD_PATCHES,
  CRD_PATCHES_DIR,
  UPSTREAM_CRD_FILES,
  findUpstreamCrds,
  readCrdPatch,
  selectCrdSet,
  sharedDir,
  type CrdSetOptions,
} from './crd-sets.js';
import { TEST_CRDS_DIR, testCrdPath } from './crds.js';
import { applyJsonPatch } from './json-patch.js';

const quiet: CrdSetOptions = { onProgress: () => undefined };

/** A shared directory with every upstream file (empty: selection only looks for them). */
async function fakeSharedDir(without: string[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'crd-sets-'));
  for (const file of Object.values(UPSTREAM_CRD_FILES)) {
    if (without.includes(file)) continue;
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), '');
  }
  return dir;
}

async function readCrd(path: string): Promise<V1CustomResourceDefinition> {
  return parse(await readFile(path, 'utf8')) as V1CustomResourceDefinition;
}

type Schema = {
  properties?: Record<string, Schema>;
  default?: unknown;
};

/** The schema at `path` (property names) of one version of a plain CRD object. */
function schemaAt(crd: unknown, version: string, path: string[]): Schema | undefined {
  const v = (crd as V1CustomResourceDefinition).spec.versions.find((x) => x.name === version);
  let schema = v?.schema?.openAPIV3Schema as Schema | undefined;
  for (const key of path) schema = schema?.properties?.[key];
  return schema;
}

const KSERVE = ['spec', 'components', 'kserve'];

describe('sharedDir', () => {
  it('is NIM_SHARED_DIR, else shared beside the repository', () => {
    expect(sharedDir({ NIM_SHARED_DIR: '/data/shared' })).toBe('/data/shared');
    expect(sharedDir({})).toBe(resolve(TEST_CRDS_DIR, '../../../../shared'));
  });
});

describe('selectCrdSet', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('takes the upstream CRDs when the shared directory has them all, plus the project Template', async () => {
    const dir = await fakeSharedDir();
    dirs.push(dir);
    const lines: string[] = [];
    const set = selectCrdSet({ sharedDir: dir, set: 'auto', onProgress: (l) => lines.push(l) });
    expect(set.name).toBe('upstream');
    expect(set.label).toBe(`upstream (${dir}) + project Template`);
    expect(lines).toEqual([`[control-plane] CRDs: upstream (${dir}) + project Template`]);
    expect(set.paths[CRD_NAMES.inferenceService]).toBe(
      join(dir, 'kserve-crds/serving.kserve.io_inferenceservices.yaml'),
    );
    expect(set.paths[CRD_NAMES.template]).toBe(testCrdPath(CRD_NAMES.template));
    expect([...set.files].sort()).toEqual(Object.values(set.paths).sort());
    expect(set.files).toHaveLength(Object.keys(CRD_NAMES).length);
  });

  it('falls back to the project CRDs, saying what is missing', async () => {
    const missing = UPSTREAM_CRD_FILES[CRD_NAMES.account];
    const dir = await fakeSharedDir([missing]);
    dirs.push(dir);
    expect(findUpstreamCrds(dir).missing).toEqual([missing]);
    const set = selectCrdSet({ ...quiet, sharedDir: dir, set: 'auto' });
    expect(set.name).toBe('project');
    expect(set.label).toBe(`project (packages/testkit/crds; ${dir} lacks ${missing})`);
    for (const name of Object.values(CRD_NAMES)) expect(set.paths[name]).toBe(testCrdPath(name));
  });

  it('says "the upstream CRDs" when there is no shared directory at all', () => {
    const set = selectCrdSet({ ...quiet, sharedDir: '/nonexistent/shared', set: 'auto' });
    expect(set.label).toBe(
      'project (packages/testkit/crds; /nonexistent/shared lacks the upstream CRDs)',
    );
  });

  it('names the default location ../shared', () => {
    const set = selectCrdSet({ ...quiet, sharedDir: sharedDir({}), set: 'project' });
    expect(set.label).toBe('project (packages/testkit/crds; asked for)');
    const lines: string[] = [];
    selectCrdSet({ sharedDir: sharedDir({}), set: 'auto', onProgress: (l) => lines.push(l) });
    expect(lines[0]).toMatch(/^\[control-plane\] CRDs: (upstream \(\.\.\/shared\)|project \()/);
  });

  it('honours set: upstream only when every file is there', async () => {
    const dir = await fakeSharedDir([UPSTREAM_CRD_FILES[CRD_NAMES.hardwareProfile]]);
    dirs.push(dir);
    expect(() => selectCrdSet({ ...quiet, sharedDir: dir, set: 'upstream' })).toThrow(
      expect.objectContaining({
        code: 'assets-missing',
        message: expect.stringContaining('infrastructure.opendatahub.io_hardwareprofiles.yaml'),
      }),
    );
  });

  it('reads NIM_TEST_CRD_SET when no set is given', async () => {
    const dir = await fakeSharedDir();
    dirs.push(dir);
    vi.stubEnv('NIM_TEST_CRD_SET', 'project');
    try {
      expect(selectCrdSet({ ...quiet, sharedDir: dir }).label).toBe(
        'project (packages/testkit/crds; NIM_TEST_CRD_SET=project)',
      );
      vi.stubEnv('NIM_TEST_CRD_SET', 'both');
      expect(() => selectCrdSet({ ...quiet, sharedDir: dir })).toThrow(/NIM_TEST_CRD_SET/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('writes its line to stderr by default', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      selectCrdSet({ sharedDir: '/nonexistent', set: 'auto' });
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/^\[control-plane\] CRDs: project/));
    } finally {
      write.mockRestore();
    }
  });
});

describe('CRD_PATCHES', () => {
  it('are the patches of manifests/crd/kustomization.yaml, with the same targets', async () => {
    const kustomization = parse(
      await readFile(join(CRD_PATCHES_DIR, 'kustomization.yaml'), 'utf8'),
    ) as { kind: string; patches: { path: string; target: Record<string, string> }[] };
    expect(kustomization.kind).toBe('Component');
    expect(kustomization.patches.map((p) => [join(CRD_PATCHES_DIR, p.path), p.target])).toEqual(
      ALL_CRD_PATCHES.map((p) => [
        p.file,
        {
          group: 'apiextensions.k8s.io',
          version: 'v1',
          kind: 'CustomResourceDefinition',
          name: p.crd,
        },
      ]),
    );
  });
});

describe('the product CRD patches on the project CRDs', () => {
  let dashboardConfig: V1CustomResourceDefinition;
  let dataScienceCluster: V1CustomResourceDefinition;

  beforeAll(async () => {
    dashboardConfig = await readCrd(testCrdPath(CRD_NAMES.dashboardConfig));
    dataScienceCluster = await readCrd(testCrdPath(CRD_NAMES.dataScienceCluster));
  });

  it('add spec.nimConfig to the OdhDashboardConfig, which has none', async () => {
    expect(schemaAt(dashboardConfig, 'v1alpha', ['spec', 'nimConfig'])).toBeUndefined();
    const ops = await readCrdPatch(CRD_PATCHES.dashboardConfigNimConfig);
    const patched = applyJsonPatch(dashboardConfig, ops);
    const nimConfig = schemaAt(patched, 'v1alpha', ['spec', 'nimConfig']);
    expect(Object.keys(nimConfig?.properties ?? {}).sort()).toEqual([
      'customConfigMap',
      'disableKeyCollection',
      'disableKeyValidation',
      'disconnected',
    ]);
    expect(nimConfig).toMatchObject({
      type: 'object',
      properties: {
        customConfigMap: { required: ['name'], properties: { name: {}, namespace: {} } },
        disconnected: { properties: { disableKeyCollection: { type: 'boolean' } } },
      },
    });
    // Nothing else moved.
    const without = structuredClone(patched) as V1CustomResourceDefinition;
    delete schemaAt(without, 'v1alpha', ['spec'])?.properties?.['nimConfig'];
    expect(without).toEqual(JSON.parse(JSON.stringify(dashboardConfig)));
  });

  it('remove spec.components.kserve.nim from both DataScienceCluster versions, and only it', async () => {
    for (const version of ['v1', 'v2']) {
      expect(schemaAt(dataScienceCluster, version, [...KSERVE, 'nim'])?.default).toEqual({});
    }
    const ops = await readCrdPatch(CRD_PATCHES.dataScienceClusterNoNim);
    const patched = applyJsonPatch(dataScienceCluster, ops);
    for (const version of ['v1', 'v2']) {
      const kserve = schemaAt(patched, version, KSERVE);
      expect(kserve?.properties?.['nim']).toBeUndefined();
      expect(kserve?.properties?.['rawDeploymentServiceConfig']?.default).toBe('Headless');
    }
    // A second time the remove fails: applyCrdPatches looks before it patches.
    expect(() => applyJsonPatch(patched, ops)).toThrow(/no nim/);
  });

  it('refuse a CRD whose versions are not in the order the patch expects', async () => {
    const swapped = JSON.parse(JSON.stringify(dataScienceCluster)) as {
      spec: { versions: unknown[] };
    };
    swapped.spec.versions.reverse();
    await expect(
      readCrdPatch(CRD_PATCHES.dataScienceClusterNoNim).then((ops) => applyJsonPatch(swapped, ops)),
    ).rejects.toThrow(/test \/spec\/versions\/0\/name/);
  });
});

const upstream = findUpstreamCrds();

describe.skipIf(upstream.missing.length > 0)(
  'the product CRD patches on the upstream CRDs (../shared)',
  () => {
    it('apply to odh-dashboard and opendatahub-operator CRDs as they are', async () => {
      for (const patch of ALL_CRD_PATCHES) {
        const [doc] = parseAllDocuments(await readFile(upstream.paths[patch.crd], 'utf8'));
        const crd: unknown = doc?.toJS();
        expect(applyJsonPatch(crd, await readCrdPatch(patch))).not.toEqual(crd);
      }
    });

    it('leave every other DataScienceCluster kserve field as upstream has it', async () => {
      const crd = parse(
        await readFile(upstream.paths[CRD_NAMES.dataScienceCluster], 'utf8'),
      ) as V1CustomResourceDefinition;
      const patched = applyJsonPatch(crd, await readCrdPatch(CRD_PATCHES.dataScienceClusterNoNim));
      for (const version of ['v1', 'v2']) {
        const before = { ...schemaAt(crd, version, KSERVE)?.properties };
        expect(before['nim']?.default).toEqual({});
        delete before['nim'];
        expect(schemaAt(patched, version, KSERVE)?.properties).toEqual(
          JSON.parse(JSON.stringify(before)),
        );
      }
    });
  },
);
