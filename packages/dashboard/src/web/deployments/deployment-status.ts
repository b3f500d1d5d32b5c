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

/** How the table and the delete dialog describe a deployment's cache PVC. */
export interface CacheView {
  claimName: string;
  /** e.g. "50Gi, sub-path llama". */
  details: string | undefined;
  /** What deleting the deployment does to the PVC. */
  onDelete: 'deleted' | 'shared' | 'kept' | 'missing' | 'unknown';
  /** One sentence about `onDelete`. */
  fate: string;
}

/** The cache PVC of a deployment and whether it goes with it, from the backend's `storage`. */
export function describeCache(deployment: Pick<Deployment, 'storage'>): CacheView | undefined {
  const storage = deployment.storage;
  if (!storage) return undefined;
  const parts = [storage.size, storage.subPath ? `sub-path ${storage.subPath}` : undefined];
  const details = parts.filter((part) => part !== undefined).join(', ') || undefined;
  const view = (onDelete: CacheView['onDelete'], fate: string): CacheView => ({
    claimName: storage.claimName,
    details,
    onDelete,
    fate,
  });
  if (storage.missing) return view('missing', 'The PVC does not exist (any more).');
  if (storage.owned === undefined) return view('unknown', 'The PVC could not be read.');
  if (!storage.owned) {
    return view('kept', 'Kept when the deployment is deleted: no deployment owns this PVC.');
  }
  const others = storage.sharedWith ?? [];
  if (others.length > 0) {
    return view(
      'shared',
      `Shared with ${others.join(', ')}: deleted with the last deployment that uses it.`,
    );
  }
  return view('deleted', 'Deleted with the deployment.');
}
