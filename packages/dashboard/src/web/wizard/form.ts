import { DEFAULT_NIM_RESOURCES, deriveKubernetesName, type ModelEntry } from '@odh-nim/contract';

import type { ApiProtocolName, DeployRequest } from '../../api/types.js';

/** Size of a new cache PVC unless the user changes it (the size OpenShift AI suggests). */
export const DEFAULT_CACHE_SIZE = '30Gi';

/**
 * What the deployment step edits, as typed: numbers stay strings so the form can say "must be a
 * whole number" instead of silently dropping a keystroke.
 */
export interface DeploymentSettings {
  displayName: string;
  /** Kubernetes name of the ServingRuntime and InferenceService. */
  name: string;
  /** True once the user edited `name`; until then it follows the display name. */
  nameEdited: boolean;
  replicas: string;
  gpus: string;
  cpuRequest: string;
  cpuLimit: string;
  memoryRequest: string;
  memoryLimit: string;
  storageMode: 'new' | 'existing';
  storageSize: string;
  storageClassName: string;
  claimName: string;
  subPath: string;
  protocol: ApiProtocolName;
  externalRoute: boolean;
  tokenAuth: boolean;
}

/** The fields of {@link DeploymentSettings} that can be invalid. */
export type SettingsField =
  | 'displayName'
  | 'name'
  | 'replicas'
  | 'gpus'
  | 'cpuRequest'
  | 'cpuLimit'
  | 'memoryRequest'
  | 'memoryLimit'
  | 'storageSize'
  | 'storageClassName'
  | 'claimName'
  | 'subPath'
  | 'protocol';

/** The key step's choice. The key lives only in memory, for the one deploy request. */
export interface KeyChoice {
  mode: 'existing' | 'new';
  apiKey: string;
}

/** Settings a new wizard starts with: the Template's resources, named after the model. */
export function buildInitialSettings(model?: Pick<ModelEntry, 'displayName'>): DeploymentSettings {
  const displayName = model?.displayName ?? '';
  return {
    displayName,
    name: deriveKubernetesName(displayName),
    nameEdited: false,
    replicas: '1',
    gpus: DEFAULT_NIM_RESOURCES.limits['nvidia.com/gpu'] ?? '1',
    cpuRequest: DEFAULT_NIM_RESOURCES.requests.cpu ?? '1',
    cpuLimit: DEFAULT_NIM_RESOURCES.limits.cpu ?? '2',
    memoryRequest: DEFAULT_NIM_RESOURCES.requests.memory ?? '4Gi',
    memoryLimit: DEFAULT_NIM_RESOURCES.limits.memory ?? '8Gi',
    storageMode: 'new',
    storageSize: DEFAULT_CACHE_SIZE,
    storageClassName: '',
    claimName: '',
    subPath: '',
    protocol: 'http',
    externalRoute: false,
    tokenAuth: false,
  };
}

/**
 * Applies a display name change: the Kubernetes name follows it until the user edits the name
 * themselves.
 */
export function withDisplayName(
  settings: DeploymentSettings,
  displayName: string,
): DeploymentSettings {
  return settings.nameEdited
    ? { ...settings, displayName }
    : { ...settings, displayName, name: deriveKubernetesName(displayName) };
}

/** A whole number typed by the user, or `undefined`. */
export function parseWholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

export interface DeployRequestInput {
  modelName: string;
  tag: string;
  settings: DeploymentSettings;
  key: KeyChoice;
  /** False when the administrator turned key collection off: no key is sent. */
  keyCollection: boolean;
  /**
   * True when the key step showed a stored key and offered to replace it. Only then may a new key
   * replace one the project stores; otherwise a key stored meanwhile by someone else wins.
   */
  storedKeyShown?: boolean;
}

/**
 * The `POST /deployments` body for the wizard's state. Numbers that do not parse become `NaN`, so
 * the contract's schema reports them; the key is sent only when a new one was entered.
 */
export function buildDeployRequest(input: DeployRequestInput): DeployRequest {
  const { settings } = input;
  const replicas = parseWholeNumber(settings.replicas) ?? Number.NaN;
  const storage: DeployRequest['storage'] =
    settings.storageMode === 'new'
      ? {
          mode: 'new',
          size: settings.storageSize.trim(),
          ...(settings.storageClassName.trim() === ''
            ? {}
            : { storageClassName: settings.storageClassName.trim() }),
        }
      : {
          mode: 'existing',
          claimName: settings.claimName.trim(),
          ...(settings.subPath.trim() === '' ? {} : { subPath: settings.subPath.trim() }),
        };
  const key: Pick<DeployRequest, 'apiKey' | 'useExistingKey' | 'replaceStoredKey'> =
    !input.keyCollection
      ? {}
      : input.key.mode === 'existing'
        ? { useExistingKey: true }
        : { apiKey: input.key.apiKey.trim(), replaceStoredKey: input.storedKeyShown === true };
  return {
    displayName: settings.displayName.trim(),
    name: settings.name,
    modelName: input.modelName,
    tag: input.tag,
    replicas: { min: replicas, max: replicas },
    resources: {
      gpus: parseWholeNumber(settings.gpus) ?? Number.NaN,
      cpu: { request: settings.cpuRequest.trim(), limit: settings.cpuLimit.trim() },
      memory: { request: settings.memoryRequest.trim(), limit: settings.memoryLimit.trim() },
    },
    storage,
    protocol: settings.protocol,
    externalRoute: settings.externalRoute,
    tokenAuth: settings.tokenAuth,
    ...key,
  };
}
