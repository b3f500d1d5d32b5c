import { execFile } from 'node:child_process';
import { readdir, readFile, rmdir, mkdir, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CGROUP_FS = '/sys/fs/cgroup';

/** Mount points at or under `dir`, deepest first, from `/proc/self/mountinfo` text. Pure. */
export function mountsUnder(mountinfo: string, dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined && point.startsWith(prefix))
    .map((point) => point.replace(/\\040/g, ' '))
    .sort((a, b) => b.split('/').length - a.split('/').length || b.localeCompare(a));
}

/** Unmounts everything the kubelet and containerd mounted under `dir` (volumes, rootfs, netns). */
export async function unmountUnder(dir: string): Promise<void> {
  const points = mountsUnder(await readFile('/proc/self/mountinfo', 'utf8'), dir);
  for (const point of points) await run('umount', ['-l', point]).catch(() => undefined);
}

/** The cgroup v1 hierarchies (skipping the `cpu` → `cpu,cpuacct` symlinks). */
async function hierarchies(): Promise<string[]> {
  const dirs: string[] = [];
  for (const entry of await readdir(CGROUP_FS).catch(() => [])) {
    const path = join(CGROUP_FS, entry);
    if ((await lstat(path)).isDirectory()) dirs.push(path);
  }
  return dirs;
}

/** Creates the kubelet's `cgroupRoot` in every hierarchy; the kubelet expects it to exist. */
export async function createCgroupRoot(cgroupRoot: string): Promise<void> {
  for (const hierarchy of await hierarchies()) {
    await mkdir(join(hierarchy, cgroupRoot), { recursive: true }).catch(() => undefined);
  }
}

async function removeCgroupTree(path: string): Promise<void> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isDirectory()) await removeCgroupTree(join(path, entry.name));
  }
  await rmdir(path).catch(() => undefined);
}

/** Removes the kubelet's cgroups (`<cgroupRoot>/kubepods/...`) once no process is in them. */
export async function removeCgroupRoot(cgroupRoot: string): Promise<void> {
  for (const hierarchy of await hierarchies()) {
    await removeCgroupTree(join(hierarchy, cgroupRoot));
  }
}

/**
 * The commands that undo the kubelet's iptables changes, from `iptables -t TABLE -S` output:
 * delete the jumps into `KUBE-*` chains, then flush and delete those chains. Pure.
 */
export function kubeletChainCleanup(table: string, rules: string): string[][] {
  const lines = rules.split('\n');
  const chains = lines
    .filter((line) => line.startsWith('-N KUBE-'))
    .map((line) => line.slice(3).trim());
  const jumps = lines
    .filter((line) => line.startsWith('-A ') && / -j KUBE-\S+/.test(line))
    .map((line) => ['-t', table, '-D', ...line.slice(3).trim().split(/\s+/)]);
  return [
    ...jumps,
    ...chains.map((chain) => ['-t', table, '-F', chain]),
    ...chains.map((chain) => ['-t', table, '-X', chain]),
  ];
}

/**
 * Removes what the kubelet adds to iptables (KUBE-FIREWALL with its INPUT and OUTPUT jumps,
 * canary and hint chains), where iptables exists. Only the test's kubelet runs here.
 */
export async function removeKubeletChains(): Promise<void> {
  for (const tool of ['iptables', 'ip6tables']) {
    for (const table of ['filter', 'nat', 'mangle']) {
      const rules = await run(tool, ['-t', table, '-S']).then(
        (r) => r.stdout,
        () => '',
      );
      for (const args of kubeletChainCleanup(table, rules)) {
        await run(tool, args).catch(() => undefined);
      }
    }
  }
}

/** Creates a bridge with the gateway address up front, so the kubelet has a node IP. */
export async function createBridge(bridge: string, gatewayCidr: string): Promise<void> {
  await run('ip', ['link', 'add', 'name', bridge, 'type', 'bridge']);
  await run('ip', ['addr', 'add', gatewayCidr, 'dev', bridge]);
  await run('ip', ['link', 'set', bridge, 'up']);
}

/** Removes the bridge (the CNI plugin never does). */
export async function removeBridge(bridge: string): Promise<void> {
  await run('ip', ['link', 'del', bridge]).catch(() => undefined);
}
