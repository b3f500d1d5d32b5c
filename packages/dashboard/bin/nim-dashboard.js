#!/usr/bin/env node
// Runs the TypeScript sources directly: register tsx, then serve against the configured cluster.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/server/main.ts');
try {
  await main(process.argv.slice(2), process.env);
} catch (error) {
  console.error(`nim-dashboard: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
