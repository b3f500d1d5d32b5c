import { describe, expect, it } from 'vitest';

import { DSC_NIM_PATH, crdDefinesField } from './crd-schema.js';

const kserve = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        components: {
          type: 'object',
          properties: { kserve: { type: 'object', properties, ...extra } },
        },
      },
    },
  },
});

const crd = (versions: { name: string; schema: unknown }[]) => ({
  spec: {
    versions: versions.map(({ name, schema }) => ({ name, schema: { openAPIV3Schema: schema } })),
  },
});

describe('crdDefinesField', () => {
  it('finds a declared field in the named version only', () => {
    const defined = crd([
      { name: 'v1', schema: kserve({ nim: { type: 'object' } }) },
      { name: 'v2', schema: kserve({ managementState: { type: 'string' } }) },
    ]);
    expect(crdDefinesField(defined, 'v1', DSC_NIM_PATH)).toBe(true);
    expect(crdDefinesField(defined, 'v2', DSC_NIM_PATH)).toBe(false);
    expect(crdDefinesField(defined, 'v3', DSC_NIM_PATH)).toBe(false);
  });

  it('counts an object that keeps unknown fields as declaring what is below it', () => {
    const open = crd([
      { name: 'v1', schema: kserve({}, { 'x-kubernetes-preserve-unknown-fields': true }) },
    ]);
    expect(crdDefinesField(open, 'v1', DSC_NIM_PATH)).toBe(true);
  });

  it('is false for something that is not a CRD', () => {
    expect(crdDefinesField(undefined, 'v1', DSC_NIM_PATH)).toBe(false);
    expect(crdDefinesField({ spec: { versions: 'v1' } }, 'v1', DSC_NIM_PATH)).toBe(false);
  });
});
