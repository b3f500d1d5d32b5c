/**
 * `npm start`: the dashboard on a working local default. Without KUBECONFIG it starts the local
 * mode (see local-dashboard.ts); with KUBECONFIG set it serves against that cluster instead.
 */
import { main as serveAgainstCluster } from '../server/main.js';
import { DEMO_PROJECT, DEMO_USER, startLocalDashboard } from './local-dashboard.js';
import { ensureWebBuild } from './web-assets.js';

const say = (line: string): void => {
  process.stderr.write(`[nim] ${line}\n`);
};

async function startLocal(): Promise<void> {
  const started = Date.now();
  say('no KUBECONFIG set: local mode');
  const local = await startLocalDashboard({
    port: Number(process.env.PORT ?? 8080),
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    onProgress: say,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    [
      '',
      `NVIDIA NIM dashboard ready in ${seconds}s: ${local.url}`,
      `  signed in as        ${DEMO_USER} (edit rights in project "${DEMO_PROJECT}")`,
      `  NGC API key to type ${local.apiKey}  (NGC emulator at ${local.ngcUrl})`,
      `  admin kubeconfig    export KUBECONFIG=${local.kubeconfigPath}`,
      '  Ctrl+C stops everything.',
      '',
    ].join('\n'),
  );
  const shutdown = (): void => {
    say('stopping');
    void local.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.env.KUBECONFIG) {
  if (await ensureWebBuild()) say('built the frontend into packages/dashboard/dist/web');
  await serveAgainstCluster(process.argv.slice(2), process.env);
} else {
  await startLocal().catch((error: unknown) => {
    console.error(`nim-dashboard: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
