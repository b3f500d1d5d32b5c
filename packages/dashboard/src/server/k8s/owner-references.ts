import type { V1OwnerReference } from '@kubernetes/client-node';

import { API, type OwnerReference } from '@odh-nim/contract';

import { DashboardError } from '../errors.js';

const SERVING_RUNTIME_API = `${API.servingRuntime.group}/${API.servingRuntime.version}`;
const INFERENCE_SERVICE_API = `${API.inferenceService.group}/${API.inferenceService.version}`;

interface Owned {
  metadata: { name: string; uid?: string | undefined };
}

/** An owner reference to a ServingRuntime: not the controller, blocking nothing. */
export function servingRuntimeOwner(runtime: Owned): OwnerReference {
  return ownerOf('ServingRuntime', SERVING_RUNTIME_API, runtime);
}

/** An owner reference to an InferenceService: not the controller, blocking nothing. */
export function inferenceServiceOwner(isvc: Owned): OwnerReference {
  return ownerOf('InferenceService', INFERENCE_SERVICE_API, isvc);
}

/** True for a reference to an InferenceService (any version). */
export function isInferenceServiceOwner(
  owner: Pick<V1OwnerReference, 'apiVersion' | 'kind'>,
): boolean {
  return (
    owner.kind === 'InferenceService' &&
    owner.apiVersion.startsWith(`${API.inferenceService.group}/`)
  );
}

/** `current` with every owner of `add` it lacks (by uid); existing entries stay as they are. */
export function addOwners(
  current: readonly V1OwnerReference[] | undefined,
  add: readonly OwnerReference[],
): { owners: V1OwnerReference[]; changed: boolean } {
  const owners = [...(current ?? [])];
  for (const owner of add) {
    if (!owners.some((existing) => existing.uid === owner.uid)) owners.push({ ...owner });
  }
  return { owners, changed: owners.length !== (current?.length ?? 0) };
}

/** True when `owners` has the owner with `uid`. */
export function hasOwner(owners: readonly V1OwnerReference[] | undefined, uid: string): boolean {
  return (owners ?? []).some((owner) => owner.uid === uid);
}

function ownerOf(kind: string, apiVersion: string, object: Owned): OwnerReference {
  const { name, uid } = object.metadata;
  if (!uid) {
    // Every object the apiserver returns has a uid; without one it cannot be an owner.
    throw new DashboardError('internal', `The ${kind} ${name} came back without a uid.`, {
      status: 500,
    });
  }
  return { apiVersion, kind, name, uid };
}
