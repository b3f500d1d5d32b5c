// Global setup of the vitest "integration" project: one control plane for the whole run,
// with every test CRD, KServe's and OpenShift's aggregated roles, and the TEST_USERS.
import type { TestProject } from 'vitest/node';
import { startControlPlane } from './control-plane.js';
import { TEST_CRDS_DIR } from './crds.js';
import { TEST_CLUSTER_ROLES_DIR } from './rbac.js';
import { CONTROL_PLANE_KEY } from './provided-context.js';
import { TEST_USERS } from './test-users.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const plane = await startControlPlane({
    users: TEST_USERS,
    crds: [TEST_CRDS_DIR],
    clusterRoles: [TEST_CLUSTER_ROLES_DIR],
  });
  project.provide(CONTROL_PLANE_KEY, plane.info());
  return () => plane.stop();
}
