/**
 * Starts the NGC emulator for local development and benchmarks:
 *
 *   npx tsx packages/testkit/src/ngc-emulator/main.ts [--port 8090] [--host 127.0.0.1]
 *     [--catalog file.yaml] [--eu] [--max-page-size 50] [--latency-ms 20] [--rate-limit 20/40]
 *
 * Prints the base URL and the accepted key, then serves until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';

import type { RateLimit } from './rate-limit.js';
import { loadReferenceEuRestricted } from './reference-data.js';
import { EMULATOR_VALID_KEY, startNgcEmulator } from './server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      catalog: { type: 'string' },
      eu: { type: 'boolean', default: false },
      'max-page-size': { type: 'string' },
      'latency-ms': { type: 'string' },
      /** `RPS/BURST`, e.g. `20/40`: a token bucket answering 429 with Retry-After past it. */
      'rate-limit': { type: 'string' },
    },
  });
  const port = parseNumber('--port', values.port);
  const latencyMs =
    values['latency-ms'] === undefined ? 0 : parseNumber('--latency-ms', values['latency-ms']);
  const emulator = await startNgcEmulator({
    port,
    host: values.host,
    ...(values.catalog ? { catalogPath: values.catalog } : {}),
    ...(values.eu ? { euRestricted: await loadReferenceEuRestricted() } : {}),
    ...(values['max-page-size'] === undefined
      ? {}
      : { maxPageSize: parseNumber('--max-page-size', values['max-page-size']) }),
    ...(latencyMs > 0 ? { faults: [{ fault: { type: 'latency', ms: latencyMs } }] } : {}),
    ...(values['rate-limit'] === undefined
      ? {}
      : { rateLimit: parseRateLimit(values['rate-limit']) }),
  });
  process.stdout.write(
    `NGC emulator listening on ${emulator.url} (${emulator.catalog.length} models)\n` +
      `Accepted key: ${EMULATOR_VALID_KEY}\n`,
  );
  const shutdown = (): void => {
    void emulator.stop().then(() => process.stdout.write('NGC emulator stopped\n'));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function parseRateLimit(value: string): RateLimit {
  const [rate = '', burst = rate] = value.split('/');
  return {
    requestsPerSecond: parseNumber('--rate-limit', rate),
    burst: parseNumber('--rate-limit', burst),
  };
}

function parseNumber(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`${flag} must be a whole number`);
  return number;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
