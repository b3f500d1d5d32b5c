import { describe, expect, it } from 'vitest';

import { parseDeployRequest } from '../../api/types.js';
import {
  buildDeployRequest,
  buildInitialSettings,
  parseWholeNumber,
  withDisplayName,
} from './form.js';
import { mockModel } from './test-models.js';

describe('buildInitialSettings', () => {
  it('names the deployment after the model and uses the Template resources', () => {
    const settings = buildInitialSettings(mockModel());
    expect(settings).toMatchObject({
      displayName: 'Llama 3.1 8B Instruct',
      name: 'llama-3-1-8b-instruct',
      nameEdited: false,
      replicas: '1',
      gpus: '2',
      cpuRequest: '1',
      cpuLimit: '2',
      memoryRequest: '4Gi',
      memoryLimit: '8Gi',
      storageMode: 'new',
      storageSize: '30Gi',
      protocol: 'http',
    });
  });
});

describe('withDisplayName', () => {
  it('derives the Kubernetes name until the user edits it', () => {
    const settings = withDisplayName(buildInitialSettings(), 'My Llama (test) #2');
    expect(settings.name).toBe('my-llama-test-2');
    const edited = withDisplayName({ ...settings, name: 'custom', nameEdited: true }, 'Other');
    expect(edited).toMatchObject({ displayName: 'Other', name: 'custom' });
  });

  it('never starts the derived name with a digit', () => {
    expect(withDisplayName(buildInitialSettings(), '70B model').name).toBe('nim-70b-model');
  });
});

describe('parseWholeNumber', () => {
  it('accepts digits only', () => {
    expect(parseWholeNumber(' 3 ')).toBe(3);
    expect(parseWholeNumber('1.5')).toBeUndefined();
    expect(parseWholeNumber('-1')).toBeUndefined();
    expect(parseWholeNumber('')).toBeUndefined();
  });
});

describe('buildDeployRequest', () => {
  const settings = buildInitialSettings(mockModel());

  it('builds a request the contract accepts, with a new key', () => {
    const request = buildDeployRequest({
      modelName: 'llama-3.1-8b-instruct',
      tag: 'latest',
      settings,
      key: { mode: 'new', apiKey: ' nvapi-test-1 ' },
      keyCollection: true,
    });
    expect(request).toEqual({
      displayName: 'Llama 3.1 8B Instruct',
      name: 'llama-3-1-8b-instruct',
      modelName: 'llama-3.1-8b-instruct',
      tag: 'latest',
      replicas: { min: 1, max: 1 },
      resources: {
        gpus: 2,
        cpu: { request: '1', limit: '2' },
        memory: { request: '4Gi', limit: '8Gi' },
      },
      storage: { mode: 'new', size: '30Gi' },
      protocol: 'http',
      externalRoute: false,
      tokenAuth: false,
      apiKey: 'nvapi-test-1',
      // The key step showed no stored key, so it offered no replacement.
      replaceStoredKey: false,
    });
    expect(parseDeployRequest(request).ok).toBe(true);
  });

  it('replaces a stored key only when the key step offered to', () => {
    const input = {
      modelName: 'm',
      tag: '1',
      settings,
      key: { mode: 'new' as const, apiKey: 'nvapi-x' },
      keyCollection: true,
    };
    expect(buildDeployRequest({ ...input, storedKeyShown: true }).replaceStoredKey).toBe(true);
    expect(buildDeployRequest({ ...input, storedKeyShown: false }).replaceStoredKey).toBe(false);
  });

  it('keeps the stored key, or sends none when key collection is off', () => {
    const base = { modelName: 'm', tag: '1', settings };
    const existing = buildDeployRequest({
      ...base,
      key: { mode: 'existing', apiKey: 'ignored' },
      keyCollection: true,
    });
    expect(existing.useExistingKey).toBe(true);
    expect(existing.apiKey).toBeUndefined();
    const off = buildDeployRequest({
      ...base,
      key: { mode: 'new', apiKey: 'nvapi-x' },
      keyCollection: false,
    });
    expect(off.apiKey).toBeUndefined();
    expect(off.useExistingKey).toBeUndefined();
  });

  it('describes an existing claim with its sub-path', () => {
    const request = buildDeployRequest({
      modelName: 'm',
      tag: '1',
      settings: { ...settings, storageMode: 'existing', claimName: 'models', subPath: 'llama/' },
      key: { mode: 'existing', apiKey: '' },
      keyCollection: true,
    });
    expect(request.storage).toEqual({ mode: 'existing', claimName: 'models', subPath: 'llama/' });
  });
});
