import { describe, expect, it } from 'vitest';

import { parseNimSettings } from './types.js';

describe('parseNimSettings', () => {
  it('defaults to everything on and the shipped catalog when there is no config', () => {
    expect(parseNimSettings(undefined, 'opendatahub')).toEqual({
      enabled: true,
      keyValidation: true,
      keyCollection: true,
      catalogSource: { name: 'nvidia-nim-models-data', namespace: 'opendatahub', custom: false },
    });
  });

  it('reads the switches and the custom ConfigMap', () => {
    expect(
      parseNimSettings(
        {
          spec: {
            dashboardConfig: { disableNIMModelServing: true, other: 1 },
            nimConfig: {
              customConfigMap: { name: 'mirror-catalog' },
              disableKeyValidation: 'true',
              disableKeyCollection: true,
            },
          },
        },
        'redhat-ods-applications',
      ),
    ).toEqual({
      enabled: false,
      keyValidation: false,
      keyCollection: false,
      catalogSource: { name: 'mirror-catalog', namespace: 'redhat-ods-applications', custom: true },
    });
  });

  it('honours both spellings of the disconnected switch', () => {
    const moved = { spec: { nimConfig: { disconnected: { disableKeyCollection: true } } } };
    expect(parseNimSettings(moved, 'ns').keyCollection).toBe(false);
    const flat = { spec: { nimConfig: { disableKeyCollection: true } } };
    expect(parseNimSettings(flat, 'ns').keyCollection).toBe(false);
    const off = { spec: { nimConfig: { disconnected: { disableKeyCollection: false } } } };
    expect(parseNimSettings(off, 'ns').keyCollection).toBe(true);
  });

  it('ignores malformed fields instead of failing the whole object', () => {
    const settings = parseNimSettings(
      { spec: { nimConfig: { customConfigMap: { name: '' }, disableKeyValidation: 'yes' } } },
      'ns',
    );
    expect(settings.keyValidation).toBe(true);
    expect(settings.catalogSource.custom).toBe(false);
  });
});
