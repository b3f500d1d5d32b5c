// The node's own guarantees: a failed start leaves nothing behind on the host, and the shared
// node advertises what NIM pods need.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { GPU_RESOURCE, startControlPlane } from '@odh-nim/testkit';
import { adminKubeConfig, controlPlaneInfo } from '@odh-nim/testkit/vitest';

/** The kubelets' cgroup roots present now (the shared node's among them). */
async function cgroupRoots(): Promise<string[]> {
  return (await readdir('/sys/fs/cgroup/memory')).filter((d) => d.startsWith('odh-nim-')).sort();
}

describe('the test node', () => {
  it('is Ready, advertises nvidia.com/gpu, and offers static volumes', async () => {
    const info = controlPlaneInfo().node;
    expect(info).toBeDefined();
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    const node = await core.readNode({ name: info?.name ?? '' });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node.status?.allocatable?.[GPU_RESOURCE]).toBe('8');
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^containerd:\/\//);
    const volumes = await core.listPersistentVolume();
    expect(volumes.items.filter((v) => v.spec?.hostPath).length).toBeGreaterThanOrEqual(4);
  });

  it('rolls back a failed start: no process, mount, bridge or cgroup is left', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'node-fail-'));
    const cgroupsBefore = await cgroupRoots();
    try {
      const error = await startControlPlane({
        tmpDir: parent,
        node: { name: 'broken-node', podCidr: '10.244.78.0/24' },
        // Exits at once, after containerd, the bridge and the cgroups were made.
        kubeletPath: '/bin/false',
        onProgress: () => undefined,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'process-failed',
        message: /kubelet exited with code 1/,
      });
      expect(await readdir(parent)).toEqual([]);
      expect(execFileSync('ps', ['-eo', 'args']).toString()).not.toContain(parent);
      expect(await readFile('/proc/self/mountinfo', 'utf8')).not.toContain(parent);
      expect(execFileSync('ip', ['-o', 'addr']).toString()).not.toContain('10.244.78.1');
      expect(await cgroupRoots()).toEqual(cgroupsBefore);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
