#!/usr/bin/env node
// Runs the compiled output of `npm run build` with plain Node, then serves against the
// configured cluster. From source, without a build:
//   npx tsx --conditions=source packages/dashboard/src/server/main.ts
import { readFileSync } from 'node:fs';

const entry = new URL('../dist/server/main.js', import.meta.url);
let main;
try {
  ({ main } = await import(entry.href));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !error.message.includes(entry.pathname))
    throw error;
  console.error(`nim-dashboard: not built (${entry.pathname} is missing); run: npm run build`);
  process.exit(1);
}
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Answered after the server's modules are loaded: the bin's real start-up time.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  console.log(pkg.version);
} else {
  try {
    await main(argv, process.env);
  } catch (error) {
    console.error(`nim-dashboard: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
