#!/usr/bin/env node
// Runs before `npm start` and `npm test` (npm's pre-scripts) so both work on a fresh clone:
// installs the npm packages when they are missing or older than package-lock.json, and for
// tests the Debian packages they drive: chromium (nothing can download a browser here) and
// containerd, runc and the CNI plugins for the cluster tests' node.
// Plain Node, no dependencies: it runs before any are installed.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

const installed = `${root}node_modules/.package-lock.json`;
if (!existsSync(installed)) {
  console.error('[ensure-deps] installing npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
} else if (statSync(installed).mtimeMs < statSync(`${root}package-lock.json`).mtimeMs) {
  // Non-destructive: a stale tree gets what the lock adds, without deleting node_modules.
  console.error('[ensure-deps] package-lock.json changed: npm install');
  run('npm', ['install', '--no-audit', '--no-fund']);
}

// What `npm test` needs from Debian: chromium for the browser tests, and for the cluster tests'
// node: containerd, runc, the CNI plugins, iproute2 and iptables (the kubelet uses both).
const DEBIAN_NEEDS = [
  { path: '/usr/bin/chromium', packages: ['chromium', 'fonts-liberation'] },
  { path: '/usr/bin/containerd', packages: ['containerd'] },
  { path: '/usr/sbin/runc', packages: ['runc'] },
  { path: '/usr/lib/cni/bridge', packages: ['containernetworking-plugins'] },
  { path: '/usr/sbin/ip', packages: ['iproute2'] },
  { path: '/usr/sbin/iptables', packages: ['iptables'] },
];

if (process.argv.includes('--test-packages')) {
  const missing = DEBIAN_NEEDS.filter((need) => !existsSync(need.path)).flatMap((n) => n.packages);
  if (missing.length > 0) {
    if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
      console.error(
        `[ensure-deps] the tests need Debian packages: sudo apt-get install ${missing.join(' ')}`,
      );
      process.exit(1);
    }
    console.error(`[ensure-deps] installing from Debian: ${missing.join(' ')}`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing]);
  }
}
