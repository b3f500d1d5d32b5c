import { describe, expect, it } from 'vitest';

import { resolveApplicationsNamespace } from './applications-namespace.js';
import { decodeBase64 } from './encoding.js';
import { buildImageReference, registryHost } from './image.js';
import { buildInferenceService } from './inference-service.js';
import { describeKeyProblem, isPersonalKey } from './ngc-key.js';
import { buildNimCachePvc } from './pvc.js';
import { parseQuantity } from './quantity.js';
import { buildNimSecrets } from './secrets.js';
import { mockModelEntry } from './testing.js';

const FAKE_KEY = 'nvapi-test-not-a-real-key';

describe('buildImageReference', () => {
  const model = mockModelEntry();

  it('uses nvcr.io by default', () => {
    expect(buildImageReference(model, '1.8.4')).toBe(
      'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4',
    );
  });

  it('honours a mirrored registry, tolerating scheme and trailing slash', () => {
    expect(
      buildImageReference(model, 'latest', { registry: 'https://mirror.local:5000/ngc/' }),
    ).toBe('mirror.local:5000/ngc/nim/meta/llama-3.1-8b-instruct:latest');
    expect(registryHost('mirror.local:5000/ngc')).toBe('mirror.local:5000');
  });
});

describe('buildNimSecrets', () => {
  it('stores the key under NGC_API_KEY and api_key, labelled managed', () => {
    const [opaque] = buildNimSecrets({ namespace: 'proj', apiKey: FAKE_KEY });
    expect(opaque.metadata).toEqual({
      name: 'nvidia-nim-secrets',
      namespace: 'proj',
      labels: { 'opendatahub.io/managed': 'true' },
    });
    expect(opaque.type).toBe('Opaque');
    expect(decodeBase64(opaque.data.NGC_API_KEY ?? '')).toBe(FAKE_KEY);
    expect(decodeBase64(opaque.data.api_key ?? '')).toBe(FAKE_KEY);
  });

  it('builds a dockerconfigjson for the registry host with $oauthtoken', () => {
    const [, pull] = buildNimSecrets({ namespace: 'p', apiKey: FAKE_KEY, registry: 'mirror.io/x' });
    expect(pull.metadata.name).toBe('nvidia-nim-image-pull');
    expect(pull.type).toBe('kubernetes.io/dockerconfigjson');
    const config = JSON.parse(decodeBase64(pull.data['.dockerconfigjson'] ?? ''));
    expect(config).toEqual({
      auths: {
        'mirror.io': {
          username: '$oauthtoken',
          password: FAKE_KEY,
          auth: Buffer.from(`$oauthtoken:${FAKE_KEY}`).toString('base64'),
        },
      },
    });
  });
});

describe('buildInferenceService', () => {
  const base = {
    name: 'llama',
    namespace: 'p',
    displayName: 'Llama',
    modelName: 'llama-3.1-8b-instruct',
    runtimeName: 'llama',
    minReplicas: 1,
    maxReplicas: 2,
    resources: { requests: { cpu: '1' }, limits: { cpu: '2' } },
  };

  it('sets raw deployment mode and the dashboard label, nothing optional by default', () => {
    const isvc = buildInferenceService({ ...base, externalRoute: false, tokenAuth: false });
    expect(isvc.metadata.labels).toEqual({ 'opendatahub.io/dashboard': 'true' });
    expect(isvc.metadata.annotations).toEqual({
      'openshift.io/display-name': 'Llama',
      'serving.kserve.io/deploymentMode': 'RawDeployment',
    });
    expect(isvc.spec.predictor.model).toEqual({
      modelFormat: { name: 'llama-3.1-8b-instruct' },
      runtime: 'llama',
      resources: base.resources,
    });
  });

  it('adds route exposure and token auth when chosen', () => {
    const isvc = buildInferenceService({ ...base, externalRoute: true, tokenAuth: true });
    expect(isvc.metadata.labels?.['networking.kserve.io/visibility']).toBe('exposed');
    expect(isvc.metadata.annotations?.['security.opendatahub.io/enable-auth']).toBe('true');
  });
});

describe('buildNimCachePvc', () => {
  it('names the PVC after the deployment and sets the storage class only when given', () => {
    const pvc = buildNimCachePvc({
      deploymentName: 'llama',
      namespace: 'p',
      displayName: 'Llama',
      size: '50Gi',
    });
    expect(pvc.metadata.name).toBe('nim-pvc-llama');
    expect(pvc.spec.resources.requests.storage).toBe('50Gi');
    expect(pvc.spec).not.toHaveProperty('storageClassName');
    const fast = buildNimCachePvc({
      deploymentName: 'l',
      namespace: 'p',
      displayName: 'L',
      size: '1Gi',
      storageClassName: 'fast',
    });
    expect(fast.spec.storageClassName).toBe('fast');
  });
});

describe('ngc keys', () => {
  it('accepts personal keys only, explaining legacy keys', () => {
    expect(isPersonalKey(FAKE_KEY)).toBe(true);
    expect(isPersonalKey('nvapi-')).toBe(false);
    expect(describeKeyProblem(FAKE_KEY)).toBeUndefined();
    expect(describeKeyProblem('bGVnYWN5a2V5')).toContain('legacy API keys are not');
    expect(describeKeyProblem('  ')).toBe('The NGC API key is empty.');
  });
});

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['4Gi', 4 * 1024 ** 3],
    ['1.5G', 1.5e9],
  ])('%s = %d', (q, value) => expect(parseQuantity(q)).toBe(value));

  it.each(['', 'abc', '-1', '4gb', '1e3'])('rejects %j', (q) =>
    expect(parseQuantity(q)).toBeUndefined(),
  );
});

describe('resolveApplicationsNamespace', () => {
  it('prefers explicit, then DSCI, then a labelled namespace, then the default', () => {
    const all = { explicit: 'x', dscInitialization: 'y', labelledNamespaces: ['z'] };
    expect(resolveApplicationsNamespace(all)).toEqual({ namespace: 'x', source: 'explicit' });
    expect(resolveApplicationsNamespace({ ...all, explicit: undefined })).toEqual({
      namespace: 'y',
      source: 'dsci',
    });
    expect(resolveApplicationsNamespace({ labelledNamespaces: ['z'] })).toEqual({
      namespace: 'z',
      source: 'label',
    });
    expect(resolveApplicationsNamespace({})).toEqual({
      namespace: 'opendatahub',
      source: 'default',
    });
  });
});
