import { run } from './cli.js';

// The only place that ends the process: the library and `run` return instead.
const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
process.exit(code);
