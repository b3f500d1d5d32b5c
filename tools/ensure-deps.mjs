#!/usr/bin/env node
// Runs before `npm start` and `npm test` (npm's pre-scripts) so both work on a fresh clone:
// installs the npm packages when they are missing or older than package-lock.json, and for
// tests Debian's chromium (the browser tests drive it; nothing can download a browser here).
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

const chromium = '/usr/bin/chromium';
if (process.argv.includes('--browser') && !existsSync(chromium)) {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    console.error(`[ensure-deps] the browser tests need Debian's chromium at ${chromium}:`);
    console.error('  sudo apt-get install chromium');
    process.exit(1);
  }
  console.error("[ensure-deps] installing Debian's chromium for the browser tests");
  run('apt-get', ['update', '-qq']);
  run('apt-get', [
    'install',
    '-y',
    '-qq',
    '--no-install-recommends',
    'chromium',
    'fonts-liberation',
  ]);
}
