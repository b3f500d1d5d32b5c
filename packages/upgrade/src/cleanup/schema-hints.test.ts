import { describe, expect, it } from 'vitest';

import { apiError } from '../k8s/fake-resource-client.js';
import { describeWriteError, unknownFieldsOf } from './schema-hints.js';

describe('unknownFieldsOf', () => {
  it('lists the fields a strict write was refused for', () => {
    const error = apiError(
      400,
      'BadRequest',
      'strict decoding error: unknown field "spec.nimConfig", unknown field "spec.other"',
    );
    expect(unknownFieldsOf(error)).toEqual(['spec.nimConfig', 'spec.other']);
    expect(unknownFieldsOf(apiError(403, 'Forbidden', 'unknown field "x"'))).toEqual([]);
  });
});

describe('describeWriteError', () => {
  it('says which CRD patch to apply for spec.nimConfig, and keeps other errors as they are', () => {
    const refused = apiError(
      400,
      'BadRequest',
      'strict decoding error: unknown field "spec.nimConfig"',
    );
    expect(describeWriteError('OdhDashboardConfig', refused)).toMatch(
      /^the OdhDashboardConfig CRD on this cluster does not define spec.nimConfig: apply the OdhDashboardConfig CRD patch in manifests\/crd \(manifests\/crd\/odhdashboardconfig-nimconfig.patch.yaml/,
    );
    expect(describeWriteError('Secret', apiError(403, 'Forbidden', 'no'))).toBe(
      'HTTP 403 Forbidden: no',
    );
  });
});
