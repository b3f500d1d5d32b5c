import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { KubeConfig } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';

import { parseServerConfig, USAGE, type ServerConfig } from './config.js';
import { getApplicationsNamespace } from './k8s/applications-namespace.js';
import { makeKubeClients } from './k8s/clients.js';
import { createLogger } from './logger.js';
import { createServer } from './server.js';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** The backend's kubeconfig: `path` (flag or KUBECONFIG), else in-cluster, else the default. */
export function loadKubeConfig(path: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (path) kubeConfig.loadFromFile(path);
  else if (process.env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    kubeConfig.loadFromCluster();
  } else kubeConfig.loadFromDefault();
  return kubeConfig;
}

/**
 * Entry point: reads flags and environment, resolves the applications namespace, starts the
 * server and stops it on SIGINT/SIGTERM. Resolves to the listening server (undefined for --help).
 */
export async function main(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<FastifyInstance | undefined> {
  const parsed = parseServerConfig(argv, env);
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return undefined;
  }
  const logger = createLogger({ level: parsed.logLevel });
  const kubeConfig = loadKubeConfig(parsed.kubeconfig);
  const resolved = await getApplicationsNamespace(
    makeKubeClients(kubeConfig),
    parsed.applicationsNamespace,
  );
  logger.info(resolved, 'applications namespace resolved');
  const { kubeconfig: _path, help: _help, ...rest } = parsed;
  const config: ServerConfig = { ...rest, applicationsNamespace: resolved.namespace };
  const app = await createServer(config, { kubeConfig, logger });
  const shutdown = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'shutting down');
    app.close().catch((error: unknown) => logger.error({ err: error }, 'close failed'));
  };
  app.addHook('onClose', async () => {
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
  });
  await app.listen({ host: config.host, port: config.port });
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), process.env).catch((error: unknown) => {
    console.error(`nim-dashboard: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
