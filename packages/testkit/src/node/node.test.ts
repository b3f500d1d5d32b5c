import { describe, expect, it } from 'vitest';
import { bridgeConflist } from './cni.js';
import { containerdConfig, containerdPaths } from './containerd.js';
import { kubeletChainCleanup, mountsUnder } from './host.js';
import { kubeletConfig } from './kubelet.js';
import { gatewayOf } from './node.js';

describe('gatewayOf', () => {
  it('takes the first address of the pod CIDR', () => {
    expect(gatewayOf('10.244.77.0/24')).toEqual({ ip: '10.244.77.1', cidr: '10.244.77.1/24' });
  });
  it('refuses what is not a CIDR', () => {
    expect(() => gatewayOf('10.244.77.0')).toThrow(/bad pod CIDR/);
  });
});

describe('bridgeConflist', () => {
  it('is a gateway bridge without masquerade, IPAM data in the test directory', () => {
    const conf = JSON.parse(
      bridgeConflist({ bridge: 'nimbr1', podCidr: '10.244.77.0/24', ipamDir: '/t/ipam' }),
    ) as { plugins: Record<string, unknown>[] };
    expect(conf.plugins).toEqual([
      expect.objectContaining({
        type: 'bridge',
        bridge: 'nimbr1',
        isGateway: true,
        ipMasq: false,
        ipam: { type: 'host-local', ranges: [[{ subnet: '10.244.77.0/24' }]], dataDir: '/t/ipam' },
      }),
    ]);
  });
});

describe('containerdConfig', () => {
  const paths = containerdPaths('/t');
  const toml = containerdConfig(
    {
      dir: '/t',
      pauseImage: 'localhost/p:1',
      cniConfDir: '/t/net.d',
      cniBinDir: '/cni',
      timeoutMs: 1,
    },
    paths,
  );

  it('keeps root, state and socket under the test directory', () => {
    expect(toml).toContain('root = "/t/containerd/root"');
    expect(toml).toContain('state = "/t/containerd/state"');
    expect(toml).toContain('address = "/t/containerd/containerd.sock"');
    expect(toml).toContain('netns_mounts_under_state_dir = true');
  });

  it('uses the local pause image, cgroupfs, and the VM-specific oom setting', () => {
    expect(toml).toContain('sandbox_image = "localhost/p:1"');
    expect(toml).toContain('SystemdCgroup = false');
    expect(toml).toContain('restrict_oom_score_adj = true');
    expect(toml).toContain('config_path = "/t/containerd/certs.d"');
  });
});

describe('kubeletConfig', () => {
  it('pins cgroupfs, loopback ports, no read-only port, and no image GC', () => {
    expect(
      kubeletConfig({
        port: 1,
        healthzPort: 2,
        containerdSocket: '/t/c.sock',
        cgroupRoot: '/odh-nim-x',
        podLogsDir: '/t/logs',
      }),
    ).toMatchObject({
      cgroupDriver: 'cgroupfs',
      cgroupRoot: '/odh-nim-x',
      address: '127.0.0.1',
      healthzBindAddress: '127.0.0.1',
      readOnlyPort: 0,
      failSwapOn: false,
      imageGCHighThresholdPercent: 100,
      containerRuntimeEndpoint: 'unix:///t/c.sock',
      podLogsDir: '/t/logs',
      authentication: { anonymous: { enabled: false }, webhook: { enabled: false } },
    });
  });
});

describe('mountsUnder', () => {
  const mountinfo = [
    '22 1 0:21 / /proc rw - proc proc rw',
    '90 1 0:50 / /t/kubelet/pods/a/volumes/x rw - tmpfs tmpfs rw',
    '91 1 0:51 / /t/containerd/state/rootfs rw - overlay overlay rw',
    '92 90 0:52 / /t/kubelet/pods/a/volumes/x/y rw - tmpfs tmpfs rw',
    '93 1 0:53 / /tother/z rw - tmpfs tmpfs rw',
  ].join('\n');

  it('lists only mounts under the directory, deepest first', () => {
    expect(mountsUnder(mountinfo, '/t')).toEqual([
      '/t/kubelet/pods/a/volumes/x/y',
      '/t/kubelet/pods/a/volumes/x',
      '/t/containerd/state/rootfs',
    ]);
  });
});

describe('kubeletChainCleanup', () => {
  it('deletes the jumps, then flushes and deletes the KUBE- chains, and nothing else', () => {
    const rules = [
      '-P INPUT ACCEPT',
      '-N KUBE-FIREWALL',
      '-N OTHER',
      '-A INPUT -j KUBE-FIREWALL',
      '-A INPUT -j OTHER',
      '-A KUBE-FIREWALL -d 127.0.0.0/8 -j DROP',
    ].join('\n');
    expect(kubeletChainCleanup('filter', rules)).toEqual([
      ['-t', 'filter', '-D', 'INPUT', '-j', 'KUBE-FIREWALL'],
      ['-t', 'filter', '-F', 'KUBE-FIREWALL'],
      ['-t', 'filter', '-X', 'KUBE-FIREWALL'],
    ]);
  });
});
