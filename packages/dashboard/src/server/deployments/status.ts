import type { DeploymentStatus } from '../../api/types.js';
import type { Condition, InferenceServiceStatus } from '../k8s/inference-services/types.js';

/**
 * Reasons KServe and Kubernetes give while a predictor is still coming up; a False condition with
 * one of these means Loading, not Failed.
 */
export const PROGRESSING_REASONS: ReadonlySet<string> = new Set([
  'MinimumReplicasUnavailable',
  'NewReplicaSetCreated',
  'FoundNewReplicaSet',
  'ReplicaSetUpdated',
  'PredictorNotReady',
  'PredictorConfigurationReady',
  'Progressing',
  'ContainerCreating',
  'PodInitializing',
  'Initializing',
  'RevisionMissing',
  'Deploying',
]);

/** KServe model states that mean the model is still on its way. */
const LOADING_MODEL_STATES = new Set(['Pending', 'Standby', 'Loading']);
const FAILED_TRANSITIONS = new Set(['BlockedByFailedLoad', 'InvalidSpec']);

/**
 * The phase of a NIM deployment from its InferenceService status: no status yet → Pending;
 * condition `Ready` True → Ready; a failed model load or a False condition with a reason that is
 * not a progress reason → Failed with that reason and message; anything else → Loading.
 */
export function deriveDeploymentStatus(
  status: InferenceServiceStatus | undefined,
): DeploymentStatus {
  const conditions = status?.conditions ?? [];
  const modelStatus = status?.modelStatus;
  if (conditions.length === 0 && !modelStatus) return { phase: 'Pending' };

  const ready = conditions.find((condition) => condition.type === 'Ready');
  if (ready?.status === 'True') return { phase: 'Ready' };

  const modelFailed =
    modelStatus?.states?.activeModelState === 'FailedToLoad' ||
    modelStatus?.states?.targetModelState === 'FailedToLoad' ||
    (modelStatus?.transitionStatus !== undefined &&
      FAILED_TRANSITIONS.has(modelStatus.transitionStatus));
  if (modelFailed) {
    const failure = modelStatus?.lastFailureInfo;
    return withDetails(
      'Failed',
      failure?.reason ?? modelStatus?.transitionStatus,
      failure?.message,
    );
  }

  const failed = conditions.find(isFailedCondition);
  if (failed) return withDetails('Failed', failed.reason, failed.message);

  const progressing =
    conditions.find((c) => c.status !== 'True' && c.type !== 'Ready') ?? ready ?? undefined;
  const loadingState =
    modelStatus?.states?.targetModelState ?? modelStatus?.states?.activeModelState;
  if (progressing?.reason || progressing?.message) {
    return withDetails('Loading', progressing.reason, progressing.message);
  }
  if (loadingState && LOADING_MODEL_STATES.has(loadingState)) {
    return { phase: 'Loading', reason: loadingState };
  }
  return { phase: 'Loading' };
}

function isFailedCondition(condition: Condition): boolean {
  return (
    condition.status === 'False' &&
    condition.reason !== undefined &&
    condition.reason.length > 0 &&
    !PROGRESSING_REASONS.has(condition.reason)
  );
}

function withDetails(
  phase: DeploymentStatus['phase'],
  reason: string | undefined,
  message: string | undefined,
): DeploymentStatus {
  return {
    phase,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}
