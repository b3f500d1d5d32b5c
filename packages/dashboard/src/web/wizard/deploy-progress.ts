import type {
  ApiError,
  DeployRequest,
  DeployResponse,
  DeployStep,
  ObjectAction,
  ObjectRef,
  RollbackReport,
} from '../../api/types.js';

/** Where a deploy stands, from the page's point of view (one synchronous request). */
export type DeployState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'succeeded'; response: DeployResponse }
  | { status: 'failed'; message: string; error: ApiError | undefined };

/** One line of the progress list. */
export interface ProgressItem {
  step: DeployStep;
  title: string;
  state: 'pending' | 'running' | 'done' | 'failed' | 'not-run';
  /** What happened, e.g. "Secret nvidia-nim-secrets created", or why it failed. */
  detail: string | undefined;
}

const STEP_TITLES: Record<DeployStep, string> = {
  validate: 'Check the settings',
  'key-validation': 'Validate the NGC API key',
  'dry-run': 'Dry run of every object',
  'serving-runtime': 'Create the serving runtime',
  secrets: 'Store the key in the project',
  'inference-service': 'Create the inference service',
  pvc: 'Set up the model cache storage',
};

const STEP_KINDS: Partial<Record<DeployStep, ObjectRef['kind']>> = {
  secrets: 'Secret',
  pvc: 'PersistentVolumeClaim',
  'serving-runtime': 'ServingRuntime',
  'inference-service': 'InferenceService',
};

/**
 * The steps a deploy of `request` goes through, in order: each owner before what it owns (the
 * serving runtime owns the key secrets, the inference service its cache storage).
 */
export function listDeploySteps(
  request: Pick<DeployRequest, 'apiKey' | 'useExistingKey' | 'storage'>,
  options: { keyCollection: boolean },
): DeployStep[] {
  const newKey = options.keyCollection && request.useExistingKey !== true;
  return [
    'validate',
    ...(newKey ? (['key-validation'] as const) : []),
    'dry-run',
    'serving-runtime',
    ...(options.keyCollection ? (['secrets'] as const) : []),
    'inference-service',
    'pvc',
  ];
}

/**
 * What to tell the user about the key the deployment ended on, when it is not the obvious one:
 * the key they typed lost to one another deploy stored meanwhile, or it replaced the project's
 * key and restarted the other deployments.
 */
export function describeKeyOutcome(
  request: Pick<DeployRequest, 'apiKey'>,
  response: Pick<DeployResponse, 'keyInUse' | 'restarted' | 'restartFailed'>,
): string | undefined {
  const notes: string[] = [];
  if (request.apiKey !== undefined && response.keyInUse === 'stored') {
    notes.push(
      'The project already had a different NGC key (stored by another deploy a moment ago), so this deployment uses that one, not the key you entered. Rotate the key to use yours.',
    );
  }
  if (response.restarted && response.restarted.length > 0) {
    notes.push(
      `Your key replaced the project's key; ${response.restarted.join(', ')} restarted to use it.`,
    );
  }
  for (const failure of response.restartFailed ?? []) {
    notes.push(`${failure.name} could not be restarted onto the new key: ${failure.message}`);
  }
  return notes.length > 0 ? notes.join(' ') : undefined;
}

function describeActions(actions: readonly ObjectAction[]): string | undefined {
  if (actions.length === 0) return undefined;
  return actions.map((a) => `${a.kind} ${a.name} ${a.action}`).join(', ');
}

/**
 * The progress list for a deploy state. While the request runs every step is pending except the
 * first; on success each step shows what it did; on failure the steps before the failed one are
 * done, the failed one carries the reason, and the rest did not run.
 */
export function buildProgress(steps: readonly DeployStep[], state: DeployState): ProgressItem[] {
  return steps.map((step, index): ProgressItem => {
    const title = STEP_TITLES[step];
    switch (state.status) {
      case 'idle':
        return { step, title, state: 'pending', detail: undefined };
      case 'running':
        return { step, title, state: index === 0 ? 'running' : 'pending', detail: undefined };
      case 'succeeded': {
        const kind = STEP_KINDS[step];
        const actions = kind ? state.response.objects.filter((o) => o.kind === kind) : [];
        return { step, title, state: 'done', detail: describeActions(actions) };
      }
      case 'failed': {
        const failedStep = state.error?.failedStep ?? 'validate';
        const failedIndex = Math.max(0, steps.indexOf(failedStep));
        if (index < failedIndex) return { step, title, state: 'done', detail: undefined };
        if (index === failedIndex) return { step, title, state: 'failed', detail: state.message };
        return { step, title, state: 'not-run', detail: undefined };
      }
    }
  });
}

/** The title of a deploy step, for "Deploy failed at …". */
export function deployStepTitle(step: DeployStep): string {
  return STEP_TITLES[step];
}

/** One sentence about a rollback: what was removed or restored, and what is left to clean up. */
export function describeRollback(report: RollbackReport | undefined): {
  summary: string;
  leftovers: string[];
} {
  if (report === undefined) {
    return { summary: 'Nothing was created, so nothing had to be rolled back.', leftovers: [] };
  }
  const name = (ref: ObjectRef): string => `${ref.kind} ${ref.name}`;
  const parts: string[] = [];
  if (report.removed.length > 0) parts.push(`removed ${report.removed.map(name).join(', ')}`);
  if (report.restored.length > 0) parts.push(`restored ${report.restored.map(name).join(', ')}`);
  const summary =
    parts.length === 0
      ? 'Nothing had been created yet, so nothing had to be rolled back.'
      : `The deploy was rolled back: ${parts.join('; ')}.`;
  return {
    summary,
    leftovers: report.failed.map((ref) => `${name(ref)}: ${ref.message}`),
  };
}
