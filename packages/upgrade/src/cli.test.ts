import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';

import type { ApplyCatalogOptions, ApplyCatalogReport } from './catalog/apply-catalog.js';
import type { CleanupOptions } from './cleanup/cleanup.js';
import type { CleanupReport } from './cleanup/report.js';
import { EXIT_CODES, run, type CliDependencies } from './cli.js';
import { UpgradeError } from './errors.js';

function mockReport(overrides: Partial<CleanupReport> = {}): CleanupReport {
  return {
    dryRun: false,
    applicationsNamespace: { name: 'opendatahub', source: 'default' },
    entries: [
      {
        kind: 'Secret',
        namespace: 'opendatahub',
        name: 'nvidia-nim-access',
        status: 'deleted',
        reasons: ['fixed-name object of the old design'],
        changes: [],
      },
    ],
    notes: [],
    summary: {
      deleted: 1,
      'would-delete': 0,
      changed: 0,
      'would-change': 0,
      kept: 0,
      failed: 0,
      'not-attempted': 0,
    },
    nothingToDo: false,
    failed: false,
    ...overrides,
  };
}

function harness(dependencies: Partial<CliDependencies> = {}): {
  out: string[];
  err: string[];
  invoke: (...argv: string[]) => Promise<number>;
  cleanupCalls: CleanupOptions[];
  catalogCalls: ApplyCatalogOptions[];
} {
  const out: string[] = [];
  const err: string[] = [];
  const cleanupCalls: CleanupOptions[] = [];
  const catalogCalls: ApplyCatalogOptions[] = [];
  const invoke = (...argv: string[]): Promise<number> =>
    run(
      argv,
      {
        stdout: { write: (s: string) => out.push(s) },
        stderr: { write: (s: string) => err.push(s) },
        env: {},
      },
      {
        loadKubeConfig: () => new KubeConfig(),
        cleanup: async (options) => {
          cleanupCalls.push(options);
          return mockReport({ dryRun: options.dryRun ?? false });
        },
        applyCatalog: async (options): Promise<ApplyCatalogReport> => {
          catalogCalls.push(options);
          return {
            dryRun: false,
            namespace: 'opendatahub',
            name: 'nvidia-nim-models-data',
            status: 'unchanged',
            digest: 'sha256:1',
            models: 3,
            notes: [],
          };
        },
        ...dependencies,
      },
    );
  return { out, err, invoke, cleanupCalls, catalogCalls };
}

describe('run', () => {
  it('passes the cleanup flags to the library and prints the text report', async () => {
    const h = harness();
    const code = await h.invoke(
      'cleanup',
      '--dry-run',
      '--applications-namespace',
      'rhoai',
      '--keep-account-crd',
    );
    expect(code).toBe(EXIT_CODES.ok);
    expect(h.cleanupCalls[0]).toMatchObject({
      applicationsNamespace: 'rhoai',
      dryRun: true,
      keepAccountCrd: true,
    });
    expect(h.out.join('')).toContain('Deleted (1):\n  Secret opendatahub/nvidia-nim-access');
  });

  it('prints the report as JSON with --output json', async () => {
    const h = harness();
    expect(await h.invoke('cleanup', '--output', 'json')).toBe(0);
    expect(JSON.parse(h.out.join(''))).toEqual(mockReport());
  });

  it('exits 1 when an object failed', async () => {
    const h = harness({ cleanup: async () => mockReport({ failed: true }) });
    expect(await h.invoke('cleanup')).toBe(EXIT_CODES.failed);
  });

  it('exits 2 with the message and a hint when nothing could run', async () => {
    const h = harness({
      cleanup: async () => {
        throw new UpgradeError('read-failed', 'Could not list Pod: HTTP 403 Forbidden.', {
          suggestion: 'Check the kubeconfig.',
        });
      },
    });
    expect(await h.invoke('cleanup', '--output=json')).toBe(EXIT_CODES.error);
    expect(h.err.join('')).toBe(
      'error: Could not list Pod: HTTP 403 Forbidden.\nhint: Check the kubeconfig.\n',
    );
    expect(JSON.parse(h.out.join(''))).toEqual({
      error: {
        code: 'read-failed',
        message: 'Could not list Pod: HTTP 403 Forbidden.',
        suggestion: 'Check the kubeconfig.',
      },
    });
  });

  it('exits 2 on bad usage', async () => {
    const h = harness();
    expect(await h.invoke('cleanup', '--output', 'yaml')).toBe(EXIT_CODES.error);
    expect(await h.invoke('frobnicate')).toBe(EXIT_CODES.error);
    expect(await h.invoke('apply-catalog')).toBe(EXIT_CODES.error);
    expect(h.cleanupCalls).toEqual([]);
  });

  it('prints help and exits 0', async () => {
    const h = harness();
    expect(await h.invoke('--help')).toBe(0);
    expect(h.out.join('')).toContain('apply-catalog');
  });

  it('reads the catalog file for apply-catalog', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nim-upgrade-'));
    await writeFile(join(dir, 'catalog.yaml'), 'kind: ConfigMap\n');
    const h = harness();
    expect(await h.invoke('apply-catalog', join(dir, 'catalog.yaml'), '--dry-run')).toBe(0);
    expect(h.catalogCalls[0]).toMatchObject({ manifest: 'kind: ConfigMap\n', dryRun: true });
    expect(h.out.join('')).toContain('Unchanged ConfigMap opendatahub/nvidia-nim-models-data');
    const missing = harness();
    expect(await missing.invoke('apply-catalog', join(dir, 'nope.yaml'))).toBe(EXIT_CODES.error);
    expect(missing.err.join('')).toMatch(/Could not read .*nope\.yaml/);
  });

  it('reports a kubeconfig that cannot be loaded', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(['cleanup', '--kubeconfig', '/nonexistent/kubeconfig'], {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      env: {},
    });
    expect(code).toBe(EXIT_CODES.error);
    expect(err.join('')).toMatch(/Could not load the kubeconfig \/nonexistent\/kubeconfig/);
  });
});
