// Test factories for this and other packages, exported as `@odh-nim/contract/testing`.
import type { ModelEntry } from './model-entry.js';

/** A fresh, valid catalog entry for tests; override what the test is about. */
export function mockModelEntry(overrides: Partial<ModelEntry> = {}): ModelEntry {
  return {
    name: 'llama-3.1-8b-instruct',
    displayName: 'Llama 3.1 8B Instruct',
    shortDescription: 'A test model.',
    namespace: 'nim/meta',
    tags: ['1.8.4', 'latest', '1.8', '1'],
    latestTag: 'latest',
    updatedDate: '2025-01-02T03:04:05.000Z',
    euRestricted: false,
    ...overrides,
  };
}
