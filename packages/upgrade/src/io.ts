import { KubeConfig } from '@kubernetes/client-node';

import { UpgradeError } from './errors.js';
import type { UpgradeLogger } from './logger.js';

/** Where a command writes text: `process.stdout`, `process.stderr` or a test buffer. */
export interface OutputStream {
  write(chunk: string): unknown;
}

/** Everything a command touches outside its arguments, injected so tests run in-process. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves relative paths. Default `process.cwd()`. */
  cwd?: string;
}

/** Output formats of every command. */
export type OutputFormat = 'text' | 'json';

/** Options every command takes. */
export interface CommonOptions {
  kubeconfig?: string;
  output: OutputFormat;
  verbose?: boolean;
  dryRun?: boolean;
  applicationsNamespace?: string;
}

/** Parses `--output`; commander calls it for the flag's value. */
export function parseOutputFormat(value: string): OutputFormat {
  if (value === 'text' || value === 'json') return value;
  throw new UpgradeError('usage', `--output must be text or json, not "${value}".`);
}

/**
 * The cluster credentials: `--kubeconfig FILE`, else the usual defaults (`KUBECONFIG`,
 * `~/.kube/config`, then the in-cluster service account, as a Job in the cluster has).
 */
export function loadKubeConfig(path: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    if (path) kubeConfig.loadFromFile(path);
    else kubeConfig.loadFromDefault();
  } catch (error) {
    throw new UpgradeError(
      'kubeconfig',
      `Could not load the kubeconfig${path ? ` ${path}` : ''}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, suggestion: 'Pass --kubeconfig FILE or set KUBECONFIG.' },
    );
  }
  if (!kubeConfig.getCurrentCluster()) {
    throw new UpgradeError('kubeconfig', 'The kubeconfig has no current cluster.', {
      suggestion: 'Pass --kubeconfig FILE, set KUBECONFIG, or select a context.',
    });
  }
  return kubeConfig;
}

/** A logger writing `level: message` lines to stderr; debug and info with `--verbose` only. */
export function createCliLogger(stderr: OutputStream, verbose: boolean): UpgradeLogger {
  return {
    debug: (message) => {
      if (verbose) stderr.write(`debug: ${message}\n`);
    },
    info: (message) => {
      if (verbose) stderr.write(`info: ${message}\n`);
    },
    warn: (message) => stderr.write(`warning: ${message}\n`),
  };
}
