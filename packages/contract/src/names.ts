/**
 * Every resource name, label and annotation of the NIM integration, spelled once (SPEC.md §2).
 * Other packages import these; they never repeat the literals.
 */

/** ConfigMap with the build-time model catalog, in the applications namespace. */
export const MODELS_CONFIGMAP_NAME = 'nvidia-nim-models-data';
/** Template (template.openshift.io/v1) wrapping the HTTP ServingRuntime. */
export const RUNTIME_TEMPLATE_HTTP = 'nvidia-nim-runtime-http';
/** Template wrapping the gRPC ServingRuntime. */
export const RUNTIME_TEMPLATE_GRPC = 'nvidia-nim-runtime-grpc';
/** Opaque Secret holding the user's NGC key, in the user's project. */
export const NIM_SECRET_NAME = 'nvidia-nim-secrets';
/** Image pull Secret for the NGC registry, in the user's project. */
export const NIM_PULL_SECRET_NAME = 'nvidia-nim-image-pull';
/** Prefix of the PVC the dashboard creates for a deployment's NIM cache. */
export const NIM_PVC_PREFIX = 'nim-pvc-';
/** Keys of `nvidia-nim-secrets`: the runtime reads the first, older tools the second. */
export const NGC_API_KEY_ENV = 'NGC_API_KEY';
export const LEGACY_API_KEY_DATA_KEY = 'api_key';

/** Default applications namespace (Red Hat OpenShift AI uses `redhat-ods-applications`). */
export const DEFAULT_APPLICATIONS_NAMESPACE = 'opendatahub';
export const RHOAI_APPLICATIONS_NAMESPACE = 'redhat-ods-applications';
/** Environment variable naming the applications namespace, after an explicit flag (SPEC §2). */
export const APPLICATIONS_NAMESPACE_ENV = 'NIM_APPLICATIONS_NAMESPACE';
/** Default NVIDIA container registry; overridable for mirrored registries. */
export const DEFAULT_REGISTRY = 'nvcr.io';
/** The user name NGC's registry expects with a personal key. */
export const NGC_REGISTRY_USERNAME = '$oauthtoken';

export const LABELS = {
  managed: 'opendatahub.io/managed',
  dashboard: 'opendatahub.io/dashboard',
  ootb: 'opendatahub.io/ootb',
  applicationNamespace: 'opendatahub.io/application-namespace',
  visibility: 'networking.kserve.io/visibility',
} as const;

export const ANNOTATIONS = {
  displayName: 'openshift.io/display-name',
  modelServingSupport: 'opendatahub.io/modelServingSupport',
  apiProtocol: 'opendatahub.io/apiProtocol',
  recommendedAccelerators: 'opendatahub.io/recommended-accelerators',
  nimRuntime: 'runtimes.opendatahub.io/nvidia-nim',
  templateName: 'opendatahub.io/template-name',
  templateDisplayName: 'opendatahub.io/template-display-name',
  deploymentMode: 'serving.kserve.io/deploymentMode',
  enableAuth: 'security.opendatahub.io/enable-auth',
  /** sha256 of the catalog content: an immutable ConfigMap can only be replaced, never patched. */
  catalogDigest: 'opendatahub.io/nim-catalog-digest',
  /**
   * On a NIM deployment's predictor (its pod template): the version of the project's NGC key the
   * pods run with. A new value rolls the pods, so they read the new key.
   */
  keyVersion: 'opendatahub.io/nim-key-version',
  /** Records which PVC a deployment created, so delete removes only what deploy made. */
  createdPvc: 'opendatahub.io/nim-created-pvc',
} as const;

/** API groups and versions of the objects this project reads and writes. */
export const API = {
  servingRuntime: { group: 'serving.kserve.io', version: 'v1alpha1', plural: 'servingruntimes' },
  inferenceService: {
    group: 'serving.kserve.io',
    version: 'v1beta1',
    plural: 'inferenceservices',
  },
  template: { group: 'template.openshift.io', version: 'v1', plural: 'templates' },
  dashboardConfig: { group: 'opendatahub.io', version: 'v1alpha', plural: 'odhdashboardconfigs' },
  dscInitialization: {
    group: 'dscinitialization.opendatahub.io',
    version: 'v1',
    plural: 'dscinitializations',
  },
  dataScienceCluster: {
    group: 'datasciencecluster.opendatahub.io',
    version: 'v1',
    plural: 'datascienceclusters',
  },
  account: { group: 'nim.opendatahub.io', version: 'v1', plural: 'accounts' },
} as const;

/** Name of the dashboard's configuration object in the applications namespace. */
export const DASHBOARD_CONFIG_NAME = 'odh-dashboard-config';

/** The neighbours' CRDs whose schema the redesign changes (SPEC §3.1, §3.5). */
export const NEIGHBOUR_CRDS = {
  /** odh-dashboard's; it needs `spec.nimConfig`. */
  dashboardConfig: 'odhdashboardconfigs.opendatahub.io',
  /** opendatahub-operator's; it drops `spec.components.kserve.nim` (NVPE-413). */
  dataScienceCluster: 'datascienceclusters.datasciencecluster.opendatahub.io',
} as const;

/** The patches of those CRDs, as shipped in this repository, for messages that say what to apply. */
export const CRD_PATCH_FILES = {
  dashboardConfigNimConfig: 'manifests/crd/odhdashboardconfig-nimconfig.patch.yaml',
  dataScienceClusterRemoveNim: 'manifests/crd/datasciencecluster-remove-nim.patch.yaml',
} as const;

/** Objects of the old Account-based design (SPEC.md §3.5), removed by the upgrade. */
export const LEGACY = {
  accountCrd: 'accounts.nim.opendatahub.io',
  accountFinalizer: 'runtimes.opendatahub.io/nim-cleanup-finalizer',
  defaultAccountName: 'odh-nim-account',
  adminKeySecret: 'nvidia-nim-access',
  imagesConfigMap: 'nvidia-nim-images-data',
  servingTemplate: 'nvidia-nim-serving-template',
  pullSecret: 'nvidia-nim-image-pull',
  validatorCronJob: 'nvidia-nim-periodic-validator',
  validationResultConfigMap: 'nvidia-nim-validation-result',
  /** Secret name older NIM deployments in user projects still reference. */
  userProjectSecret: 'ngc-secret',
  ownedSuffixes: { configMap: '-cm', template: '-template', pullSecret: '-pull' },
} as const;
