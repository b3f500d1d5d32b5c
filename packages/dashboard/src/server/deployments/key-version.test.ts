import { describe, expect, it } from 'vitest';

import { buildApiKeySecret } from '@odh-nim/contract';

import { keyVersionOf, storedKeyOf } from './key-version.js';

describe('keyVersionOf', () => {
  it('is the same for the same key and project, on any replica', () => {
    expect(keyVersionOf('p', 'nvapi-test-1')).toBe(keyVersionOf('p', 'nvapi-test-1'));
    expect(keyVersionOf('p', 'nvapi-test-1')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('differs with the key, and with the project (one project says nothing of another)', () => {
    expect(keyVersionOf('p', 'nvapi-test-1')).not.toBe(keyVersionOf('p', 'nvapi-test-2'));
    expect(keyVersionOf('p', 'nvapi-test-1')).not.toBe(keyVersionOf('q', 'nvapi-test-1'));
  });

  it('never contains the key', () => {
    expect(keyVersionOf('p', 'nvapi-test-1')).not.toContain('nvapi');
  });
});

describe('storedKeyOf', () => {
  it('reads the key of nvidia-nim-secrets, or nothing', () => {
    const secret = buildApiKeySecret({ namespace: 'p', apiKey: 'nvapi-test-1' });
    expect(storedKeyOf(secret)).toBe('nvapi-test-1');
    expect(storedKeyOf(undefined)).toBeUndefined();
    expect(storedKeyOf({ data: { NGC_API_KEY: '' } })).toBeUndefined();
  });
});
