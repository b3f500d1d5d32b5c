import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources, with no build: workspace packages export them under the
// "source" condition (their "default" is the compiled dist/). Every project resolves with it.
const fromSource = {
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
};

// Three projects: fast pure unit tests colocated with the code; integration tests that share
// one real control plane (etcd, kube-apiserver, kube-controller-manager) started once per run
// by the testkit; and cluster tests (`*.cluster.test.ts`) on a control plane with a real node
// (kube-scheduler, kubelet, containerd), run after the others so the two planes never compete
// for the machine's cores.
export default defineConfig({
  test: {
    reporters: ['default', './tools/vitest-summary-reporter.ts'],
    projects: [
      {
        ...fromSource,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        ...fromSource,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.test.{ts,tsx}'],
          exclude: ['packages/*/test/**/*.cluster.test.ts', '**/node_modules/**'],
          environment: 'node',
          globalSetup: ['packages/testkit/src/control-plane/vitest-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...fromSource,
        test: {
          name: 'cluster',
          include: ['packages/*/test/**/*.cluster.test.ts'],
          environment: 'node',
          globalSetup: ['packages/testkit/src/control-plane/vitest-global-setup.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
