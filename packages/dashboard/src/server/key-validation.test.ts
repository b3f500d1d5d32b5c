import { describe, expect, it } from 'vitest';

import type { KeyValidationResult } from '@odh-nim/ngc';

import { checkKey, keyErrorOf, type KeyValidator } from './key-validation.js';

const stub = (result: KeyValidationResult): KeyValidator => ({
  validateKey: () => Promise.resolve(result),
});

describe('checkKey', () => {
  it.each([
    [{ kind: 'valid', keyType: 'Personal' }, 'valid', true],
    [{ kind: 'invalid', status: 401, message: 'rejected' }, 'invalid', false],
    [{ kind: 'not-personal', message: 'legacy', suggestion: undefined }, 'legacy', false],
    [{ kind: 'unreachable', message: 'timeout', attempts: 2 }, 'unreachable', false],
    [{ kind: 'failed', status: 404, message: 'HTTP 404' }, 'failed', false],
  ] as const)('maps %o', async (result, kind, valid) => {
    expect(await checkKey(stub(result), 'nvapi-test-unit')).toMatchObject({ kind, valid });
  });
});

describe('keyErrorOf', () => {
  it('gives 400 for bad keys and 502 for NGC trouble', () => {
    expect(keyErrorOf({ valid: true, kind: 'valid', message: '' })).toBeUndefined();
    expect(keyErrorOf({ valid: false, kind: 'invalid', message: 'x' })).toMatchObject({
      status: 400,
      code: 'invalid-key',
      field: 'apiKey',
    });
    expect(keyErrorOf({ valid: false, kind: 'legacy', message: 'x' })).toMatchObject({
      status: 400,
      code: 'legacy-key',
    });
    expect(keyErrorOf({ valid: false, kind: 'unreachable', message: 'x' })).toMatchObject({
      status: 502,
      code: 'ngc-unreachable',
    });
  });
});
