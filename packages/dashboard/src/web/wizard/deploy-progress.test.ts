import { describe, expect, it } from 'vitest';

import type { DeployResponse } from '../../api/types.js';
import {
  buildProgress,
  describeKeyOutcome,
  describeRollback,
  listDeploySteps,
} from './deploy-progress.js';

const newKeyRequest = { apiKey: 'nvapi-test-1', storage: { mode: 'new', size: '30Gi' } } as const;

describe('listDeploySteps', () => {
  it('lists every step for a new key, each owner before what it owns', () => {
    expect(listDeploySteps(newKeyRequest, { keyCollection: true })).toEqual([
      'validate',
      'key-validation',
      'dry-run',
      'serving-runtime',
      'secrets',
      'inference-service',
      'pvc',
    ]);
  });

  it('leaves out the key steps when they do not apply', () => {
    expect(
      listDeploySteps(
        { useExistingKey: true, storage: { mode: 'existing', claimName: 'c' } },
        { keyCollection: true },
      ),
    ).toEqual(['validate', 'dry-run', 'serving-runtime', 'secrets', 'inference-service', 'pvc']);
    expect(listDeploySteps(newKeyRequest, { keyCollection: false })).toEqual([
      'validate',
      'dry-run',
      'serving-runtime',
      'inference-service',
      'pvc',
    ]);
  });
});

describe('buildProgress', () => {
  const steps = listDeploySteps(newKeyRequest, { keyCollection: true });

  it('marks the steps before the failed one done and the rest not run', () => {
    const items = buildProgress(steps, {
      status: 'failed',
      message: 'admission webhook denied',
      error: {
        code: 'kubernetes-error',
        message: 'admission webhook denied',
        failedStep: 'serving-runtime',
      },
    });
    expect(items.map((i) => i.state)).toEqual([
      'done',
      'done',
      'done',
      'failed',
      'not-run',
      'not-run',
      'not-run',
    ]);
    expect(items[3]?.detail).toBe('admission webhook denied');
  });

  it('fails the first step when the error names none (e.g. forbidden)', () => {
    const items = buildProgress(steps, { status: 'failed', message: 'no', error: undefined });
    expect(items[0]?.state).toBe('failed');
    expect(items[1]?.state).toBe('not-run');
  });

  it('reports what each step did on success', () => {
    const response = {
      objects: [
        { kind: 'Secret', name: 'nvidia-nim-secrets', action: 'created' },
        { kind: 'Secret', name: 'nvidia-nim-image-pull', action: 'updated' },
        { kind: 'PersistentVolumeClaim', name: 'nim-pvc-x', action: 'created' },
      ],
    } as DeployResponse;
    const items = buildProgress(steps, { status: 'succeeded', response });
    expect(items.every((i) => i.state === 'done')).toBe(true);
    expect(items.find((i) => i.step === 'secrets')?.detail).toBe(
      'Secret nvidia-nim-secrets created, Secret nvidia-nim-image-pull updated',
    );
  });

  it('shows the first step running while the request is in flight', () => {
    expect(
      buildProgress(steps, { status: 'running' })
        .map((i) => i.state)
        .slice(0, 2),
    ).toEqual(['running', 'pending']);
  });
});

describe('describeRollback', () => {
  it('lists removed and restored objects, and what could not be undone', () => {
    expect(
      describeRollback({
        removed: [{ kind: 'PersistentVolumeClaim', name: 'nim-pvc-x' }],
        restored: [{ kind: 'Secret', name: 'nvidia-nim-secrets' }],
        failed: [{ kind: 'ServingRuntime', name: 'x', message: 'timeout' }],
      }),
    ).toEqual({
      summary:
        'The deploy was rolled back: removed PersistentVolumeClaim nim-pvc-x; restored Secret nvidia-nim-secrets.',
      leftovers: ['ServingRuntime x: timeout'],
    });
    expect(describeRollback({ removed: [], restored: [], failed: [] }).summary).toMatch(
      /Nothing had been created/,
    );
  });
});

describe('describeKeyOutcome', () => {
  it('says nothing when the key typed is the key in use', () => {
    expect(describeKeyOutcome({ apiKey: 'k' }, { keyInUse: 'request' })).toBeUndefined();
    expect(describeKeyOutcome({}, { keyInUse: 'stored' })).toBeUndefined();
  });

  it('says when another deploy stored a different key first', () => {
    expect(describeKeyOutcome({ apiKey: 'k' }, { keyInUse: 'stored' })).toMatch(
      /uses that one, not the key you entered/,
    );
  });

  it('names the deployments a replaced key restarted, and those it could not', () => {
    const text = describeKeyOutcome(
      { apiKey: 'k' },
      {
        keyInUse: 'request',
        restarted: ['a', 'b'],
        restartFailed: [{ name: 'c', message: 'forbidden' }],
      },
    );
    expect(text).toContain('a, b restarted to use it');
    expect(text).toContain('c could not be restarted onto the new key: forbidden');
  });
});
