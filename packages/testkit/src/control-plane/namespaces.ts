import { randomBytes } from 'node:crypto';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

/** Label on every namespace made by {@link createTestNamespace}. */
export const TEST_NAMESPACE_LABEL = 'testkit.odh-nim.io/test-namespace';

/** A unique DNS-1123 namespace name `<prefix>-<random>`. Pure apart from randomness. */
export function testNamespaceName(prefix = 'test'): string {
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'test';
  return `${clean}-${randomBytes(4).toString('hex')}`;
}

/**
 * Creates a fresh namespace for one test and returns its name. Each test gets its own, so
 * tests never wait for one another's namespace to terminate.
 */
export async function createTestNamespace(kc: KubeConfig, prefix = 'test'): Promise<string> {
  const name = testNamespaceName(prefix);
  await kc.makeApiClient(CoreV1Api).createNamespace({
    body: { metadata: { name, labels: { [TEST_NAMESPACE_LABEL]: 'true' } } },
  });
  return name;
}
