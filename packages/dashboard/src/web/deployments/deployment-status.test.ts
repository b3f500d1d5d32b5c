import { describe, expect, it } from 'vitest';

import {
  describeCache,
  describeReplicas,
  describeStatus,
  pickEndpoint,
} from './deployment-status.js';

describe('describeStatus', () => {
  it('maps each phase to a label', () => {
    expect(describeStatus({ status: { phase: 'Ready' } })).toMatchObject({
      text: 'Ready',
      status: 'success',
      details: undefined,
    });
    expect(describeStatus({ status: { phase: 'Loading' } })).toMatchObject({
      text: 'Starting',
      status: 'info',
    });
    expect(describeStatus({ status: { phase: 'Pending' } })).toMatchObject({
      text: 'Pending',
      status: undefined,
    });
  });

  it('explains a failure with the condition reason and message', () => {
    expect(
      describeStatus({
        status: { phase: 'Failed', reason: 'ModelLoadFailed', message: 'out of memory' },
      }),
    ).toMatchObject({
      text: 'Failed',
      status: 'danger',
      details: 'ModelLoadFailed: out of memory',
    });
  });

  it('flags a runtime without its InferenceService', () => {
    expect(describeStatus({ status: { phase: 'Pending' }, orphanedRuntime: true })).toMatchObject({
      text: 'Incomplete',
      status: 'warning',
    });
  });
});

describe('describeReplicas', () => {
  it('shows one count or a range', () => {
    expect(describeReplicas({ min: 1, max: 1 })).toBe('1');
    expect(describeReplicas({ min: 1, max: 3 })).toBe('1–3');
  });
});

describe('pickEndpoint', () => {
  it('prefers the external URL when the route is on', () => {
    expect(
      pickEndpoint({ externalRoute: true, url: 'https://x.apps', internalUrl: 'http://x.svc' }),
    ).toEqual({ url: 'https://x.apps', scope: 'external' });
    expect(
      pickEndpoint({ externalRoute: false, url: 'http://x.svc', internalUrl: 'http://x.svc' }),
    ).toEqual({ url: 'http://x.svc', scope: 'internal' });
    expect(pickEndpoint({ externalRoute: false })).toBeUndefined();
  });
});

describe('describeCache', () => {
  const storage = { claimName: 'nim-pvc-a', created: true, size: '50Gi' };

  it('says whether the PVC goes with the deployment', () => {
    expect(describeCache({ storage: { ...storage, owned: true } })).toMatchObject({
      details: '50Gi',
      onDelete: 'deleted',
      fate: 'Deleted with the deployment.',
    });
    expect(
      describeCache({ storage: { ...storage, owned: true, sharedWith: ['b'] } }),
    ).toMatchObject({ onDelete: 'shared', fate: expect.stringContaining('Shared with b') });
    expect(
      describeCache({ storage: { claimName: 'mine', created: false, owned: false, subPath: 'x' } }),
    ).toMatchObject({ details: 'sub-path x', onDelete: 'kept' });
    expect(describeCache({ storage: { ...storage, missing: true } })?.onDelete).toBe('missing');
    expect(describeCache({ storage: { claimName: 'c', created: false } })?.onDelete).toBe(
      'unknown',
    );
    expect(describeCache({})).toBeUndefined();
  });
});
