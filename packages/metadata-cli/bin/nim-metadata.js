#!/usr/bin/env node
// Runs the compiled output of `npm run build` with plain Node. From source, without a build:
//   npx tsx --conditions=source packages/metadata-cli/src/main.ts
const main = new URL('../dist/main.js', import.meta.url);
try {
  await import(main.href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !error.message.includes(main.pathname)) throw error;
  console.error(`nim-metadata: not built (${main.pathname} is missing); run: npm run build`);
  process.exitCode = 1;
}
