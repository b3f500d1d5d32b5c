import { describe, expect, it } from 'vitest';

import { DashboardError } from '../errors.js';
import {
  addOwners,
  hasOwner,
  inferenceServiceOwner,
  isInferenceServiceOwner,
  servingRuntimeOwner,
} from './owner-references.js';

describe('servingRuntimeOwner and inferenceServiceOwner', () => {
  it('name the owner by kind, version and uid, and never make it the controller', () => {
    expect(servingRuntimeOwner({ metadata: { name: 'a', uid: 'u1' } })).toEqual({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      name: 'a',
      uid: 'u1',
    });
    expect(inferenceServiceOwner({ metadata: { name: 'a', uid: 'u2' } })).toEqual({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      name: 'a',
      uid: 'u2',
    });
  });

  it('refuse an object without a uid', () => {
    expect(() => servingRuntimeOwner({ metadata: { name: 'a' } })).toThrow(DashboardError);
  });
});

describe('addOwners', () => {
  const a = { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: 'ua' };
  const b = { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', uid: 'ub' };

  it('adds the owners missing by uid and keeps the existing entries as they are', () => {
    const existing = [{ ...a, controller: true }];
    expect(addOwners(existing, [a, b, b])).toEqual({
      owners: [{ ...a, controller: true }, b],
      changed: true,
    });
    expect(addOwners(existing, [a])).toEqual({ owners: existing, changed: false });
    expect(addOwners(undefined, [])).toEqual({ owners: [], changed: false });
  });

  it('tells an owner by uid', () => {
    expect(hasOwner([a], 'ua')).toBe(true);
    expect(hasOwner([a], 'ub')).toBe(false);
    expect(hasOwner(undefined, 'ua')).toBe(false);
  });
});

describe('isInferenceServiceOwner', () => {
  it('is true for KServe InferenceServices of any version only', () => {
    expect(
      isInferenceServiceOwner({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
      }),
    ).toBe(true);
    expect(
      isInferenceServiceOwner({ apiVersion: 'example.com/v1', kind: 'InferenceService' }),
    ).toBe(false);
    expect(
      isInferenceServiceOwner({ apiVersion: 'serving.kserve.io/v1alpha1', kind: 'ServingRuntime' }),
    ).toBe(false);
  });
});
