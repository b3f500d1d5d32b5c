import { describe, expect, it } from 'vitest';
import { testNamespaceName } from './namespaces.js';

describe('testNamespaceName', () => {
  it('is a unique DNS-1123 label with the prefix', () => {
    const a = testNamespaceName('RBAC_test');
    expect(a).toMatch(/^rbac-test-[0-9a-f]{8}$/);
    expect(testNamespaceName('RBAC_test')).not.toBe(a);
  });
  it('stays under 63 characters and falls back to "test"', () => {
    expect(testNamespaceName('x'.repeat(100)).length).toBeLessThanOrEqual(63);
    expect(testNamespaceName('---')).toMatch(/^test-/);
  });
});
