import { parseArgs } from 'node:util';

import { APPLICATIONS_NAMESPACE_ENV } from '@odh-nim/contract';

/** Settings of the backend; every one has a default except what the cluster resolves. */
export interface ServerConfig {
  /**
   * Where the catalog, Templates and OdhDashboardConfig live. `main` resolves it (SPEC §2) when
   * neither `--applications-namespace` nor `NIM_APPLICATIONS_NAMESPACE` gives it.
   */
  applicationsNamespace: string;
  /** NGC API base URL (key validation). Default `https://api.ngc.nvidia.com`; env `NGC_BASE_URL`. */
  ngcBaseUrl?: string | undefined;
  /** Registry override for mirrored images. Default `nvcr.io`; env `NIM_REGISTRY`. */
  registry?: string | undefined;
  /** Listen address. Default `127.0.0.1`; env `HOST`. */
  host: string;
  /** Listen port. Default 8080; env `PORT`. */
  port: number;
  /** Built frontend to serve. Default `packages/dashboard/dist/web` when it exists; env `NIM_WEB_DIR`. */
  webDir?: string | undefined;
  /** pino level. Default `info`; env `LOG_LEVEL`. */
  logLevel: string;
  /** Per-user limit of `validate-key` and key rotation calls. Default 20 a minute. */
  keyRateLimit: { max: number; timeWindowMs: number };
  /** Timeout of one NGC attempt, in ms. Default 10 000; env `NGC_TIMEOUT_MS`. */
  ngcTimeoutMs: number;
}

/** What the command line and environment say, before the cluster is asked anything. */
export interface ParsedServerConfig extends Omit<ServerConfig, 'applicationsNamespace'> {
  applicationsNamespace: string | undefined;
  /** Path of a kubeconfig; default `KUBECONFIG`, else in-cluster, else `~/.kube/config`. */
  kubeconfig: string | undefined;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;
export const DEFAULT_KEY_RATE_LIMIT = { max: 20, timeWindowMs: 60_000 } as const;
export const DEFAULT_NGC_TIMEOUT_MS = 10_000;

/** Usage text of `main`. */
export const USAGE = `Usage: nim-dashboard [options]

  --applications-namespace, -n  NS   env NIM_APPLICATIONS_NAMESPACE (default: resolved, SPEC §2)
  --ngc-base-url URL                 env NGC_BASE_URL (default https://api.ngc.nvidia.com)
  --registry HOST[/PATH]             env NIM_REGISTRY (default nvcr.io)
  --host HOST                        env HOST (default 127.0.0.1)
  --port PORT                        env PORT (default 8080)
  --web-dir DIR                      env NIM_WEB_DIR (default packages/dashboard/dist/web)
  --kubeconfig FILE                  env KUBECONFIG (default in-cluster, then ~/.kube/config)
  --log-level LEVEL                  env LOG_LEVEL (default info)
  --ngc-timeout-ms MS                env NGC_TIMEOUT_MS (default 10000)
  --help, -h`;

/** Reads flags (which win) and environment variables. Throws on a malformed value. */
export function parseServerConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): ParsedServerConfig & { help: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'applications-namespace': { type: 'string', short: 'n' },
      'ngc-base-url': { type: 'string' },
      registry: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'web-dir': { type: 'string' },
      kubeconfig: { type: 'string' },
      'log-level': { type: 'string' },
      'ngc-timeout-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const pick = (flag: string | undefined, name: string): string | undefined => {
    const value = flag ?? env[name];
    return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
  };
  const ngcBaseUrl = pick(values['ngc-base-url'], 'NGC_BASE_URL');
  if (ngcBaseUrl !== undefined && !URL.canParse(ngcBaseUrl)) {
    throw new Error(`NGC base URL "${ngcBaseUrl}" is not a URL.`);
  }
  return {
    applicationsNamespace: pick(values['applications-namespace'], APPLICATIONS_NAMESPACE_ENV),
    ngcBaseUrl,
    registry: pick(values.registry, 'NIM_REGISTRY'),
    host: pick(values.host, 'HOST') ?? DEFAULT_HOST,
    port: parseInteger(pick(values.port, 'PORT'), DEFAULT_PORT, 'port', { min: 0, max: 65_535 }),
    webDir: pick(values['web-dir'], 'NIM_WEB_DIR'),
    kubeconfig: pick(values.kubeconfig, 'KUBECONFIG'),
    logLevel: pick(values['log-level'], 'LOG_LEVEL') ?? 'info',
    keyRateLimit: { ...DEFAULT_KEY_RATE_LIMIT },
    ngcTimeoutMs: parseInteger(
      pick(values['ngc-timeout-ms'], 'NGC_TIMEOUT_MS'),
      DEFAULT_NGC_TIMEOUT_MS,
      'NGC timeout',
      { min: 100, max: 600_000 },
    ),
    help: values.help === true,
  };
}

function parseInteger(
  value: string | undefined,
  fallback: number,
  what: string,
  bounds: { min: number; max: number },
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < bounds.min || parsed > bounds.max) {
    throw new Error(`Invalid ${what} "${value}": expected an integer ${bounds.min}-${bounds.max}.`);
  }
  return parsed;
}
