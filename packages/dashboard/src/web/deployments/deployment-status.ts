import type { Deployment } from '../../api/types.js';

/** How the deployments table shows a deployment's status. */
export interface StatusView {
  text: string;
  /** PatternFly label status; `undefined` for the neutral grey label. */
  status: 'success' | 'danger' | 'warning' | 'info' | undefined;
  icon: 'ready' | 'failed' | 'warning' | 'starting' | 'pending';
  /** Longer explanation shown in a popover, when there is one. */
  details: string | undefined;
}

function joinDetails(...parts: (string | undefined)[]): string | undefined {
  const text = parts.filter((part) => part !== undefined && part.trim() !== '').join(': ');
  return text === '' ? undefined : text;
}

/** The label of a deployment's phase (from the InferenceService conditions), with its reason. */
export function describeStatus(
  deployment: Pick<Deployment, 'status' | 'orphanedRuntime'>,
): StatusView {
  const { phase, reason, message } = deployment.status;
  if (deployment.orphanedRuntime === true) {
    return {
      text: 'Incomplete',
      status: 'warning',
      icon: 'warning',
      details:
        'The ServingRuntime exists but its InferenceService is missing. Delete the deployment and deploy it again.',
    };
  }
  switch (phase) {
    case 'Ready':
      return {
        text: 'Ready',
        status: 'success',
        icon: 'ready',
        details: joinDetails(reason, message),
      };
    case 'Failed':
      return {
        text: 'Failed',
        status: 'danger',
        icon: 'failed',
        details: joinDetails(reason, message) ?? 'The model server failed to start.',
      };
    case 'Loading':
      return {
        text: 'Starting',
        status: 'info',
        icon: 'starting',
        details: joinDetails(reason, message) ?? 'The model is being downloaded and loaded.',
      };
    case 'Pending':
      return {
        text: 'Pending',
        status: undefined,
        icon: 'pending',
        details: joinDetails(reason, message) ?? 'Waiting for the model server to be scheduled.',
      };
  }
}

/** "1", or "1–3" when autoscaling between two counts. */
export function describeReplicas(replicas: Deployment['replicas']): string {
  return replicas.min === replicas.max ? String(replicas.max) : `${replicas.min}–${replicas.max}`;
}

/** The endpoint to show: the external route when exposed, else the in-cluster URL. */
export function pickEndpoint(
  deployment: Pick<Deployment, 'url' | 'internalUrl' | 'externalRoute'>,
): { url: string; scope: 'external' | 'internal' } | undefined {
  if (deployment.externalRoute && deployment.url) return { url: deployment.url, scope: 'external' };
  const internal = deployment.internalUrl ?? deployment.url;
  return internal ? { url: internal, scope: 'internal' } : undefined;
}
