import { describe, expect, it } from 'vitest';

import { mockDeployRequest } from '../server/test-support/mocks.js';
import {
  apiKeyPath,
  deploymentPath,
  deploymentsPath,
  parseDeployRequest,
  toFieldIssues,
  validateKeyRequestSchema,
} from './types.js';

const fieldsOf = (body: unknown): string[] => {
  const result = parseDeployRequest(body);
  return result.ok ? [] : result.issues.map((issue) => issue.field);
};

describe('parseDeployRequest', () => {
  it('accepts a valid request', () => {
    const result = parseDeployRequest(mockDeployRequest());
    expect(result.ok).toBe(true);
  });

  it('accepts existing storage with a sub-path, and the stored key', () => {
    expect(
      parseDeployRequest(
        mockDeployRequest({
          storage: { mode: 'existing', claimName: 'shared-cache', subPath: 'a/b' },
          apiKey: undefined,
          useExistingKey: true,
        }),
      ).ok,
    ).toBe(true);
  });

  it.each([
    ['name', { name: 'Upper' }],
    ['name', { name: `a${'b'.repeat(45)}` }],
    ['name', { name: '9lives' }],
    ['displayName', { displayName: '' }],
    ['replicas.min', { replicas: { min: 4, max: 2 } }],
    ['replicas.max', { replicas: { min: 1, max: 51 } }],
    ['resources.gpus', { resources: { ...mockDeployRequest().resources, gpus: 17 } }],
    [
      'resources.cpu.request',
      { resources: { ...mockDeployRequest().resources, cpu: { request: '500m', limit: '250m' } } },
    ],
    [
      'resources.memory.limit',
      { resources: { ...mockDeployRequest().resources, memory: { request: '1Gi', limit: '1e9' } } },
    ],
    ['storage.size', { storage: { mode: 'new', size: '10Ti0' } }],
    ['storage.subPath', { storage: { mode: 'existing', claimName: 'c', subPath: '/abs' } }],
    ['storage.claimName', { storage: { mode: 'existing', claimName: 'Bad' } }],
    ['protocol', { protocol: 'websocket' }],
    ['apiKey', { useExistingKey: true }],
  ] as const)('names %s', (field, overrides) => {
    expect(fieldsOf({ ...mockDeployRequest(), ...overrides })).toEqual([field]);
  });

  it('names the body when it is not an object', () => {
    expect(fieldsOf(null)).toEqual(['(body)']);
  });
});

describe('toFieldIssues', () => {
  it('joins paths with dots', () => {
    const result = validateKeyRequestSchema.safeParse({ apiKey: 3 });
    expect(result.success).toBe(false);
    if (!result.success) expect(toFieldIssues(result.error)[0]?.field).toBe('apiKey');
  });
});

describe('path helpers', () => {
  it('encode the parameters', () => {
    expect(deploymentsPath('my-project')).toBe('/api/namespaces/my-project/nim/deployments');
    expect(deploymentPath('p', 'llama')).toBe('/api/namespaces/p/nim/deployments/llama');
    expect(apiKeyPath('a b')).toBe('/api/namespaces/a%20b/nim/api-key');
  });
});
