import { describe, expect, it } from 'vitest';

import type { DataScienceCluster, DscNim } from '../k8s/objects.js';
import { LAST_APPLIED_ANNOTATION, readNimIntent, settingsOf } from './nim-intent.js';

const dsc = (
  nim: DscNim | undefined,
  annotations?: Record<string, string>,
): DataScienceCluster => ({
  metadata: { name: 'dsc', ...(annotations ? { annotations } : {}) },
  spec: { components: { kserve: nim === undefined ? {} : { nim } } },
});

describe('settingsOf', () => {
  it('turns Removed and airGapped true into settings, and the defaults into none', () => {
    expect(settingsOf({ managementState: 'Removed', airGapped: true })).toEqual({
      disableNIMModelServing: true,
      disableKeyValidation: true,
    });
    expect(settingsOf({ managementState: 'Managed', airGapped: false })).toEqual({});
    expect(settingsOf({})).toEqual({});
  });
});

describe('readNimIntent', () => {
  it('reads the served block, whatever the annotation says', () => {
    const applied = JSON.stringify({
      spec: { components: { kserve: { nim: { airGapped: true } } } },
    });
    expect(
      readNimIntent(
        dsc({ managementState: 'Removed' }, { [LAST_APPLIED_ANNOTATION]: applied }),
        true,
      ),
    ).toEqual({
      source: 'spec',
      nim: { managementState: 'Removed' },
      settings: { disableNIMModelServing: true },
    });
  });

  it('falls back to the last-applied annotation only where the schema lacks the field', () => {
    const applied = JSON.stringify({
      spec: { components: { kserve: { nim: { airGapped: true } } } },
    });
    const object = dsc(undefined, { [LAST_APPLIED_ANNOTATION]: applied });
    expect(readNimIntent(object, false)).toEqual({
      source: 'last-applied',
      nim: { airGapped: true },
      settings: { disableKeyValidation: true },
    });
    expect(readNimIntent(object, true)).toBeUndefined();
  });

  it('ignores an annotation that is not JSON or has no block', () => {
    expect(
      readNimIntent(dsc(undefined, { [LAST_APPLIED_ANNOTATION]: '{' }), false),
    ).toBeUndefined();
    expect(
      readNimIntent(dsc(undefined, { [LAST_APPLIED_ANNOTATION]: '{"spec":{}}' }), false),
    ).toBeUndefined();
  });
});
