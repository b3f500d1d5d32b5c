import type { TestUser } from './control-plane.js';

/**
 * Token users of the shared control plane that the vitest global setup starts. They have no
 * rights until a test grants some (e.g. `grantNamespaceAccess`) in its own namespace.
 */
export const TEST_USERS = [
  { name: 'alice', groups: ['odh-nim-testers'] },
  { name: 'bob', groups: ['odh-nim-testers'] },
  { name: 'viewer', groups: [] },
] as const satisfies readonly TestUser[];

/** Name of a user in {@link TEST_USERS}. */
export type TestUserName = (typeof TEST_USERS)[number]['name'];
