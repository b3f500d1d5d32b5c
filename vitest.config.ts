import { defineConfig } from 'vitest/config';

// Two projects: fast pure unit tests colocated with the code, and integration tests that share
// one real control plane (etcd + kube-apiserver) started once per run by the testkit.
export default defineConfig({
  test: {
    reporters: ['default', './tools/vitest-summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.test.{ts,tsx}'],
          environment: 'node',
          globalSetup: ['packages/testkit/src/control-plane/vitest-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
