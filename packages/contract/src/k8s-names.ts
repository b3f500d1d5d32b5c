/** Longest DNS-1123 label: names of Services, Pods' hostnames, most namespaced objects. */
export const DNS1123_LABEL_MAX = 63;
/** Longest DNS-1123 subdomain: Secrets, ConfigMaps, PVCs, custom resources. */
export const DNS1123_SUBDOMAIN_MAX = 253;
/**
 * KServe derives a Service and a Route host from an InferenceService name plus suffixes such as
 * `-predictor`, so deployment names must stay well under the label limit.
 */
export const DEPLOYMENT_NAME_MAX = 45;

const labelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` is not a valid DNS-1123 label of at most `max` characters, or `undefined`. */
export function validateDns1123Label(name: string, max = DNS1123_LABEL_MAX): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > max) return `must be at most ${max} characters (it has ${name.length})`;
  if (!labelPattern.test(name)) {
    return 'must consist of lower case letters, digits and "-", and start and end with a letter or digit';
  }
  return undefined;
}

/** Why `name` is not a valid DNS-1123 subdomain (dot-separated labels), or `undefined`. */
export function validateDns1123Subdomain(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > DNS1123_SUBDOMAIN_MAX) {
    return `must be at most ${DNS1123_SUBDOMAIN_MAX} characters (it has ${name.length})`;
  }
  for (const label of name.split('.')) {
    if (!labelPattern.test(label)) {
      return 'must consist of lower case letters, digits, "-" and ".", and start and end with a letter or digit';
    }
  }
  return undefined;
}

/** Why `name` cannot name a NIM deployment (ServingRuntime and InferenceService), or `undefined`. */
export function validateDeploymentName(name: string): string | undefined {
  const reason = validateDns1123Label(name, DEPLOYMENT_NAME_MAX);
  if (reason === undefined && !/^[a-z]/.test(name)) return 'must start with a lower case letter';
  return reason;
}

/**
 * Derives a Kubernetes name from a display name, as the dashboard does: lower case, runs of other
 * characters become one "-", trimmed to `max`, never ending in "-", never starting with a digit.
 */
export function deriveKubernetesName(displayName: string, max = DEPLOYMENT_NAME_MAX): string {
  let name = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (/^[0-9]/.test(name)) name = `nim-${name}`;
  return name.slice(0, max).replace(/-+$/, '');
}
