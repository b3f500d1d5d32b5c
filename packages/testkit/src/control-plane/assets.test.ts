import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CONTROL_PLANE_TOOLS_DIR,
  assetEnvVar,
  assetsCacheDir,
  parseVersionsEnv,
  planAssets,
  resolveAssets,
} from './assets.js';

describe('parseVersionsEnv', () => {
  it('reads the three versions and skips comments', () => {
    expect(
      parseVersionsEnv(
        '# c\nKUBERNETES_VERSION=v1.34.4\n\nETCD_VERSION=v3.6.16\nKUSTOMIZE_VERSION = v5.8.2\n',
      ),
    ).toEqual({ kubernetes: 'v1.34.4', etcd: 'v3.6.16', kustomize: 'v5.8.2' });
  });

  it('fails on a missing version', () => {
    expect(() => parseVersionsEnv('KUBERNETES_VERSION=v1\n')).toThrow(/ETCD_VERSION/);
  });

  it('parses the committed file', async () => {
    const text = await readFile(join(CONTROL_PLANE_TOOLS_DIR, 'versions.env'), 'utf8');
    expect(parseVersionsEnv(text).kubernetes).toMatch(/^v1\.\d+\.\d+$/);
  });
});

describe('assetsCacheDir', () => {
  it('defaults under the home cache', () => {
    expect(assetsCacheDir('v1.34.4', {}, '/home/u')).toBe(
      '/home/u/.cache/odh-nim/control-plane/v1.34.4',
    );
  });
  it('follows NIM_TEST_ASSETS_CACHE', () => {
    expect(assetsCacheDir('v1', { NIM_TEST_ASSETS_CACHE: '/c' }, '/home/u')).toBe('/c/v1');
  });
});

describe('assetEnvVar', () => {
  it("follows envtest's TEST_ASSET_<NAME> convention", () => {
    expect(assetEnvVar('kube-apiserver')).toBe('TEST_ASSET_KUBE_APISERVER');
    expect(assetEnvVar('kube-controller-manager')).toBe('TEST_ASSET_KUBE_CONTROLLER_MANAGER');
    expect(assetEnvVar('kubelet')).toBe('TEST_ASSET_KUBELET');
  });
});

describe('planAssets', () => {
  it('finds the controller manager, scheduler and kubelet like the others', () => {
    const env = { TEST_ASSET_KUBE_CONTROLLER_MANAGER: '/env/kcm', KUBEBUILDER_ASSETS: '/kb' };
    expect(
      planAssets(
        ['kube-controller-manager', 'kube-scheduler', 'kubelet'],
        { kubeletPath: '/o/k' },
        '/c',
        env,
      ).map((a) => [a.path, a.source]),
    ).toEqual([
      ['/env/kcm', 'env'],
      ['/kb/kube-scheduler', 'directory'],
      ['/o/k', 'option'],
    ]);
  });

  const names = ['kube-apiserver', 'etcd'] as const;

  it('uses the cache when nothing is set', () => {
    expect(planAssets(names, {}, '/cache', {})).toEqual([
      { name: 'kube-apiserver', path: '/cache/kube-apiserver', source: 'cache' },
      { name: 'etcd', path: '/cache/etcd', source: 'cache' },
    ]);
  });

  it('prefers options, then TEST_ASSET_*, then the directory option, then KUBEBUILDER_ASSETS', () => {
    const env = { TEST_ASSET_ETCD: '/env/etcd', KUBEBUILDER_ASSETS: '/kb' };
    expect(planAssets(names, {}, '/cache', env).map((a) => [a.path, a.source])).toEqual([
      ['/kb/kube-apiserver', 'directory'],
      ['/env/etcd', 'env'],
    ]);
    expect(
      planAssets(
        names,
        { binaryAssetsDirectory: '/dir', etcdPath: '/opt/etcd' },
        '/cache',
        env,
      ).map((a) => [a.path, a.source]),
    ).toEqual([
      ['/dir/kube-apiserver', 'directory'],
      ['/opt/etcd', 'option'],
    ]);
  });
});

describe('resolveAssets', () => {
  let dir = '';
  beforeEach(() => {
    for (const name of ['KUBEBUILDER_ASSETS', 'TEST_ASSET_KUBE_APISERVER', 'TEST_ASSET_ETCD']) {
      vi.stubEnv(name, undefined);
    }
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('returns executables found in the given directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'assets-'));
    for (const name of ['kube-apiserver', 'etcd']) {
      await writeFile(join(dir, name), '#!/bin/sh\n');
      await chmod(join(dir, name), 0o755);
    }
    await expect(
      resolveAssets(['kube-apiserver', 'etcd'], { binaryAssetsDirectory: dir }),
    ).resolves.toEqual({
      'kube-apiserver': join(dir, 'kube-apiserver'),
      etcd: join(dir, 'etcd'),
    });
  });

  it('never builds into an explicit directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'assets-'));
    await expect(resolveAssets(['etcd'], { binaryAssetsDirectory: dir })).rejects.toMatchObject({
      code: 'assets-missing',
    });
  });

  it('does not build when told not to', async () => {
    dir = await mkdtemp(join(tmpdir(), 'assets-'));
    vi.stubEnv('NIM_TEST_ASSETS_CACHE', dir);
    await expect(resolveAssets(['etcd'], { build: false })).rejects.toThrow(/build\.sh/);
  });
});
