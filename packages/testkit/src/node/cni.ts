import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A CNI network of the test's own: one bridge, one pod CIDR, no NAT, so no way out. */
export interface CniNetwork {
  readonly confDir: string;
  readonly bridge: string;
  readonly podCidr: string;
}

/** Where Debian's `containernetworking-plugins` puts the plugins. */
export const DEBIAN_CNI_BIN_DIR = '/usr/lib/cni';

/**
 * The conflist: a bridge that is the pods' gateway (so the host reaches pod IPs), host-local
 * IPAM with its data in the test's directory, and no masquerade: pod traffic cannot leave the
 * bridge and the pod CIDR. Pure.
 */
export function bridgeConflist(p: { bridge: string; podCidr: string; ipamDir: string }): string {
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'odh-nim-test',
      plugins: [
        {
          type: 'bridge',
          bridge: p.bridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: p.podCidr }]],
            dataDir: p.ipamDir,
          },
        },
      ],
    },
    null,
    2,
  );
}

/** Writes the network's conflist under `<dir>/cni`. */
export async function writeCniNetwork(
  dir: string,
  bridge: string,
  podCidr: string,
): Promise<CniNetwork> {
  const confDir = join(dir, 'cni', 'net.d');
  const ipamDir = join(dir, 'cni', 'ipam');
  await mkdir(confDir, { recursive: true });
  await mkdir(ipamDir, { recursive: true });
  await writeFile(
    join(confDir, '10-odh-nim.conflist'),
    bridgeConflist({ bridge, podCidr, ipamDir }),
  );
  return { confDir, bridge, podCidr };
}
