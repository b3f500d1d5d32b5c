import type { ModelEntry } from '@odh-nim/contract';

/** A catalog entry for tests; override what the test is about. */
export function mockModel(overrides: Partial<ModelEntry> = {}): ModelEntry {
  return {
    name: 'llama-3.1-8b-instruct',
    displayName: 'Llama 3.1 8B Instruct',
    shortDescription: 'A general purpose chat model.',
    namespace: 'nim/meta',
    tags: ['latest', '1.10.1', '1', '1.10', '1.8.0-rtx'],
    latestTag: 'latest',
    updatedDate: '2025-07-07T20:47:46.323Z',
    euRestricted: false,
    ...overrides,
  };
}
