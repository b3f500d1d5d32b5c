import { describeKeyProblem } from '@odh-nim/contract';

import {
  DEPLOY_LIMITS,
  parseDeployRequest,
  type RuntimeTemplateInfo,
  type ValidateKeyResponse,
} from '../../api/types.js';
import {
  buildDeployRequest,
  parseWholeNumber,
  type DeploymentSettings,
  type KeyChoice,
  type SettingsField,
} from './form.js';

/** The first problem of each invalid field, as a sentence. */
export type SettingsErrors = Partial<Record<SettingsField, string>>;

/** Field labels, to turn the contract's "must be …" into "CPU limit must be …". */
export const FIELD_LABELS: Record<SettingsField, string> = {
  displayName: 'Deployment name',
  name: 'Resource name',
  replicas: 'Replicas',
  gpus: 'GPUs',
  cpuRequest: 'CPU request',
  cpuLimit: 'CPU limit',
  memoryRequest: 'Memory request',
  memoryLimit: 'Memory limit',
  storageSize: 'Storage size',
  storageClassName: 'Storage class',
  claimName: 'Persistent volume claim',
  subPath: 'Sub-path',
  protocol: 'Protocol',
};

/** Request field paths (from the contract's schema) → the form field that edits them. */
const REQUEST_FIELDS: Record<string, SettingsField> = {
  displayName: 'displayName',
  name: 'name',
  'replicas.min': 'replicas',
  'replicas.max': 'replicas',
  'resources.gpus': 'gpus',
  'resources.cpu.request': 'cpuRequest',
  'resources.cpu.limit': 'cpuLimit',
  'resources.memory.request': 'memoryRequest',
  'resources.memory.limit': 'memoryLimit',
  'storage.size': 'storageSize',
  'storage.storageClassName': 'storageClassName',
  'storage.claimName': 'claimName',
  'storage.subPath': 'subPath',
  protocol: 'protocol',
};

function sentence(field: SettingsField, message: string): string {
  const text = /^[a-z]/.test(message) ? `${FIELD_LABELS[field]} ${message}` : message;
  return text.endsWith('.') ? text : `${text}.`;
}

export interface SettingsContext {
  /** Names of the project's NIM deployments: a new one must not reuse them. */
  existingNames?: readonly string[];
  /** Runtime Templates from `/api/nim/config`: the chosen protocol's must be installed. */
  templates?: readonly RuntimeTemplateInfo[];
}

/**
 * Checks the deployment step as the user types, with the same rules as the backend (the
 * contract's `parseDeployRequest`) plus what the page knows: names already taken, templates
 * missing, numbers that are not whole.
 */
export function validateDeploymentSettings(
  settings: DeploymentSettings,
  context: SettingsContext = {},
): SettingsErrors {
  const errors: SettingsErrors = {};
  const set = (field: SettingsField, message: string): void => {
    if (errors[field] === undefined) errors[field] = sentence(field, message);
  };

  const replicas = parseWholeNumber(settings.replicas);
  if (replicas === undefined) set('replicas', 'must be a whole number');
  else if (replicas < 1 || replicas > DEPLOY_LIMITS.maxReplicas) {
    set('replicas', `must be between 1 and ${DEPLOY_LIMITS.maxReplicas}`);
  }
  const gpus = parseWholeNumber(settings.gpus);
  if (gpus === undefined) set('gpus', 'must be a whole number');
  else if (gpus > DEPLOY_LIMITS.maxGpus) set('gpus', `must be at most ${DEPLOY_LIMITS.maxGpus}`);

  const request = buildDeployRequest({
    modelName: 'model',
    tag: 'tag',
    settings,
    key: { mode: 'existing', apiKey: '' },
    keyCollection: false,
  });
  const parsed = parseDeployRequest(request);
  if (!parsed.ok) {
    for (const issue of parsed.issues) {
      const field = REQUEST_FIELDS[issue.field];
      if (field !== undefined) set(field, issue.message);
    }
  }

  if (context.existingNames?.includes(settings.name)) {
    set('name', `A NIM deployment named "${settings.name}" already exists in this project`);
  }
  const template = context.templates?.find((t) => t.protocol === settings.protocol);
  if (template !== undefined && !template.installed) {
    set(
      'protocol',
      `The ${settings.protocol === 'grpc' ? 'gRPC' : 'HTTP'} runtime template is not installed; ask your administrator or choose another protocol`,
    );
  }
  return errors;
}

/** True when the settings have no error. */
export function isSettingsValid(errors: SettingsErrors): boolean {
  return Object.keys(errors).length === 0;
}

/** The last key check: which key it was about, and NGC's verdict. */
export interface KeyCheck {
  apiKey: string;
  result: ValidateKeyResponse;
}

export interface KeyStepStatus {
  /** May the user go on to the review? */
  canContinue: boolean;
  /** Problem to show under the field while typing (white space, legacy key), if any. */
  inlineProblem: string | undefined;
  /** The check applies to the key now in the field. */
  checked: boolean;
}

/**
 * Whether the key step is complete: the stored key is kept, or the typed key is a personal key
 * that NGC accepted (or validation is off by configuration). A check of an earlier key does not
 * count once the field changed.
 */
export function evaluateKeyStep(options: {
  key: KeyChoice;
  check: KeyCheck | undefined;
  /** False when the administrator disabled the call to NGC. */
  keyValidation: boolean;
}): KeyStepStatus {
  const { key, check } = options;
  if (key.mode === 'existing')
    return { canContinue: true, inlineProblem: undefined, checked: false };
  const typed = key.apiKey.trim();
  const inlineProblem = typed === '' ? undefined : describeKeyProblem(typed);
  const checked = check !== undefined && check.apiKey === typed;
  if (typed === '' || inlineProblem !== undefined) {
    return { canContinue: false, inlineProblem, checked };
  }
  if (!options.keyValidation) return { canContinue: true, inlineProblem, checked };
  return {
    canContinue: checked && (check.result.valid || check.result.kind === 'skipped'),
    inlineProblem,
    checked,
  };
}
