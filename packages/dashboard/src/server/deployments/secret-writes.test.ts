import { describe, expect, it } from 'vitest';

import { buildApiKeySecret } from '@odh-nim/contract';

import { buildSecretUpdate, isSecretCurrent } from './secret-writes.js';

const desired = () => buildApiKeySecret({ namespace: 'project', apiKey: 'nvapi-test-new' });

describe('isSecretCurrent', () => {
  it('is true only when type and every desired value match', () => {
    const secret = desired();
    expect(isSecretCurrent(secret, { ...secret, data: { ...secret.data, extra: 'eA==' } })).toBe(
      true,
    );
    const old = buildApiKeySecret({ namespace: 'project', apiKey: 'nvapi-test-old' });
    expect(isSecretCurrent(secret, old)).toBe(false);
    expect(isSecretCurrent(secret, { ...secret, type: 'kubernetes.io/dockerconfigjson' })).toBe(
      false,
    );
  });
});

describe('buildSecretUpdate', () => {
  it('keeps the existing metadata and other keys, and sets the new values and label', () => {
    const existing = {
      metadata: {
        name: 'nvidia-nim-secrets',
        namespace: 'project',
        resourceVersion: '42',
        labels: { team: 'a' },
        annotations: { note: 'kept' },
      },
      type: 'Opaque',
      data: { other: 'eA==', NGC_API_KEY: 'b2xk' },
    };
    const update = buildSecretUpdate(desired(), existing);
    expect(update.metadata).toMatchObject({
      resourceVersion: '42',
      labels: { team: 'a', 'opendatahub.io/managed': 'true' },
      annotations: { note: 'kept' },
    });
    expect(update.data).toEqual({ other: 'eA==', ...desired().data });
  });
});
