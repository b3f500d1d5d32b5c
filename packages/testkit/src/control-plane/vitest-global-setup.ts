// Global setup of the vitest "integration" and "cluster" projects: one control plane for the
// project's whole run (kube-controller-manager always; in "cluster" a node too), with the CRD set of selectCrdSet (upstream when ../shared has it) and the product's CRD
// patches on top, KServe's and OpenShift's aggregated roles, and the TEST_USERS.
import type { TestProject } from 'vitest/node';
import { startControlPlane } from './control-plane.js';
import { ALL_CRD_PATCHES, applyCrdPatches, selectCrdSet } from './crd-sets.js';
import { TEST_CLUSTER_ROLES_DIR } from './rbac.js';
import { CONTROL_PLANE_KEY, CRD_SET_KEY } from './provided-context.js';
import { TEST_USERS } from './test-users.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const crdSet = selectCrdSet();
  const plane = await startControlPlane({
    users: TEST_USERS,
    crds: crdSet.files,
    clusterRoles: [TEST_CLUSTER_ROLES_DIR],
    node: project.name === 'cluster',
  });
  try {
    await applyCrdPatches(plane.adminKubeConfig(), ALL_CRD_PATCHES);
  } catch (error) {
    await plane.stop().catch(() => undefined);
    throw error;
  }
  project.provide(CONTROL_PLANE_KEY, plane.info());
  project.provide(CRD_SET_KEY, {
    name: crdSet.name,
    label: crdSet.label,
    patches: ALL_CRD_PATCHES.map((patch) => patch.name),
  });
  return () => plane.stop();
}
