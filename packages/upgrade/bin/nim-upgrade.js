#!/usr/bin/env node
// Runs the compiled output of `npm run build` with plain Node. From source, without a build:
//   npx tsx --conditions=source packages/upgrade/src/main.ts
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
// `--version` loads the whole program first, so its time is the bin's real start-up time.
const version = argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');
const entry = new URL(version ? '../dist/cli.js' : '../dist/main.js', import.meta.url);
try {
  await import(entry.href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !error.message.includes(entry.pathname))
    throw error;
  console.error(`nim-upgrade: not built (${entry.pathname} is missing); run: npm run build`);
  process.exit(1);
}
if (version) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  console.log(pkg.version);
}
