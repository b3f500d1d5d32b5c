/** Only NGC personal keys are supported; they all start with this prefix. */
export const NGC_PERSONAL_KEY_PREFIX = 'nvapi-';

/** True for an NGC personal key (`nvapi-…`); legacy API keys and others are not supported. */
export function isPersonalKey(key: string): boolean {
  return key.startsWith(NGC_PERSONAL_KEY_PREFIX) && key.length > NGC_PERSONAL_KEY_PREFIX.length;
}

/** Why `key` cannot be used, phrased for a person, or `undefined` when it is a personal key. */
export function describeKeyProblem(key: string): string | undefined {
  const trimmed = key.trim();
  if (trimmed.length === 0) return 'The NGC API key is empty.';
  if (/\s/.test(trimmed)) return 'The NGC API key contains white space; paste it exactly.';
  if (!isPersonalKey(trimmed)) {
    return (
      'Only NGC personal keys (starting with "nvapi-") are supported; legacy API keys are not. ' +
      'Create a personal key at ngc.nvidia.com under Setup > Personal Keys with NGC Catalog access.'
    );
  }
  return undefined;
}
