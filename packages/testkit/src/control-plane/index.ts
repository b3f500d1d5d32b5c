export { ADMIN_USER, ControlPlane, startControlPlane } from './control-plane.js';
export type { ControlPlaneInfo, ControlPlaneOptions, TestUser } from './control-plane.js';
export {
  CONTROL_PLANE_TOOLS_DIR,
  assetsCacheDir,
  readControlPlaneVersions,
  resolveAssets,
  resolveKustomize,
} from './assets.js';
export type { AssetName, AssetOptions, ControlPlaneVersions } from './assets.js';
export { TEST_CRDS_DIR, installCRDs, readCrds, testCrdPath, uninstallCRDs } from './crds.js';
export type { CrdWaitOptions } from './crds.js';
export {
  ALL_CRD_PATCHES,
  CRD_NAMES,
  CRD_PATCHES,
  CRD_PATCHES_DIR,
  UPSTREAM_CRD_FILES,
  applyCrdPatches,
  findUpstreamCrds,
  readCrdPatch,
  selectCrdSet,
  sharedDir,
} from './crd-sets.js';
export type {
  CrdPatch,
  CrdPatchProbe,
  CrdSet,
  CrdSetOptions,
  TestCrdName,
  UpstreamCrdName,
} from './crd-sets.js';
export { applyJsonPatch, parseJsonPatch } from './json-patch.js';
export type { JsonPatchOperation } from './json-patch.js';
export { ControlPlaneError } from './errors.js';
export type { ControlPlaneErrorCode } from './errors.js';
export type { Flags } from './flags.js';
export { buildKubeconfig, kubeConfigFromYaml } from './kubeconfig.js';
export type { KubeconfigParams, UserCredentials } from './kubeconfig.js';
export { TEST_NAMESPACE_LABEL, createTestNamespace } from './namespaces.js';
export {
  TEST_CLUSTER_ROLES_DIR,
  aggregateClusterRoles,
  applyClusterRoles,
  grantNamespaceAccess,
} from './rbac.js';
export type { NamespaceAccess } from './rbac.js';
export { TEST_USERS } from './test-users.js';
export type { TestUserName } from './test-users.js';
