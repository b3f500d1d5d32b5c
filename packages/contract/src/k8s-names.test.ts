import { describe, expect, it } from 'vitest';

import {
  deriveKubernetesName,
  validateDeploymentName,
  validateDns1123Label,
  validateDns1123Subdomain,
} from './k8s-names.js';

describe('validateDns1123Label', () => {
  it.each(['a', 'my-model', 'a1', '0abc'])('accepts %s', (name) => {
    expect(validateDns1123Label(name)).toBeUndefined();
  });

  it.each([
    ['', 'must not be empty'],
    ['My-Model', 'lower case'],
    ['-a', 'start and end'],
    ['a-', 'start and end'],
    ['a.b', 'lower case letters, digits and "-"'],
    ['a'.repeat(64), 'at most 63 characters (it has 64)'],
  ])('rejects %j', (name, reason) => {
    expect(validateDns1123Label(name)).toContain(reason);
  });
});

describe('validateDns1123Subdomain', () => {
  it('accepts dotted names and rejects bad labels and long names', () => {
    expect(validateDns1123Subdomain('a.b-c.d')).toBeUndefined();
    expect(validateDns1123Subdomain('a..b')).toBeDefined();
    expect(validateDns1123Subdomain('a'.repeat(254))).toContain('253');
  });
});

describe('validateDeploymentName', () => {
  it('requires a leading letter and at most 45 characters', () => {
    expect(validateDeploymentName('llama')).toBeUndefined();
    expect(validateDeploymentName('1llama')).toBe('must start with a lower case letter');
    expect(validateDeploymentName('a'.repeat(46))).toContain('at most 45');
  });
});

describe('deriveKubernetesName', () => {
  it.each([
    ['Llama 3.1 8B Instruct', 'llama-3-1-8b-instruct'],
    ['  Café  Model!! ', 'cafe-model'],
    ['42 is the answer', 'nim-42-is-the-answer'],
    ['---', ''],
  ])('%j becomes %j', (display, name) => {
    expect(deriveKubernetesName(display)).toBe(name);
  });

  it('trims to the limit without a trailing dash, and the result validates', () => {
    const name = deriveKubernetesName(`${'a'.repeat(44)} b`);
    expect(name).toBe('a'.repeat(44));
    expect(validateDeploymentName(name)).toBeUndefined();
  });
});
