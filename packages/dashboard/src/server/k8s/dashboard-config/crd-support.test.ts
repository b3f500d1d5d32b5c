import { describe, expect, it } from 'vitest';

import { NIM_CONFIG_UNSUPPORTED_MESSAGE, nimConfigCrdOf } from './crd-support.js';

const document = (spec: Record<string, unknown>) => ({
  components: {
    schemas: {
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': { type: 'object' },
      'io.opendatahub.v1alpha.OdhDashboardConfig': {
        type: 'object',
        properties: { spec: { type: 'object', properties: spec } },
        'x-kubernetes-group-version-kind': [
          { group: 'opendatahub.io', version: 'v1alpha', kind: 'OdhDashboardConfig' },
        ],
      },
    },
  },
});

describe('nimConfigCrdOf', () => {
  it('is supported when the served spec has nimConfig', () => {
    expect(nimConfigCrdOf(document({ nimConfig: { type: 'object' } }))).toEqual({
      state: 'supported',
    });
  });

  it('says why settings have no effect, and which patch to apply, when it has not', () => {
    const crd = nimConfigCrdOf(document({ dashboardConfig: { type: 'object' } }));
    expect(crd).toEqual({ state: 'unsupported', message: NIM_CONFIG_UNSUPPORTED_MESSAGE });
    expect(crd.message).toContain('manifests/crd/odhdashboardconfig-nimconfig.patch.yaml');
  });

  it('cannot tell without a schema of the kind', () => {
    expect(nimConfigCrdOf({ components: { schemas: {} } }).state).toBe('unknown');
    expect(nimConfigCrdOf('not a document').state).toBe('unknown');
  });
});
