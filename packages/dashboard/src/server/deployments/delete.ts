import type { V1OwnerReference } from '@kubernetes/client-node';

import { NIM_PULL_SECRET_NAME, NIM_SECRET_NAME } from '@odh-nim/contract';

import type { DeleteResponse, ObjectRef } from '../../api/types.js';
import { DashboardError } from '../errors.js';
import type { KubeClients } from '../k8s/clients.js';
import { fromKubernetesError } from '../k8s/errors.js';
import { deleteInferenceService, getInferenceService } from '../k8s/inference-services/k8s.js';
import { getPvc } from '../k8s/pvcs/k8s.js';
import { getSecret } from '../k8s/secrets/k8s.js';
import { deleteServingRuntime, getServingRuntime } from '../k8s/serving-runtimes/k8s.js';
import type { ServerLogger } from '../logger.js';
import { cacheClaimOf, isNimServingRuntime } from './nim-runtime.js';
import { ownByCurrentUsers } from './owner-repair.js';

/** An object that may go with the deployment, and the owner references it had. */
interface Dependent {
  ref: ObjectRef;
  owners: V1OwnerReference[] | undefined;
}

/**
 * Deletes a NIM deployment per SPEC §3.4, as the caller: the InferenceService and the
 * ServingRuntime that were read (a uid precondition: never one deployed again under the name
 * meanwhile; already gone counts as deleted).
 *
 * It decides nothing else. The garbage collector deletes the cache PVC once no InferenceService
 * owns it, and the two NIM secrets once no ServingRuntime does, so a deploy racing this delete
 * keeps what it just took a share of. First, every current user of an owned Secret or PVC
 * becomes an owner too (see {@link ownByCurrentUsers}). The answer says which of them this delete was the last
 * owner of (`collected`) and which stay (`kept`, with why).
 */
export async function deleteNim(
  deps: {
    api: KubeClients;
    logger: ServerLogger;
    /** Catalog models by name: tells a NIM InferenceService whose ServingRuntime is gone. */
    catalog: ReadonlyMap<string, unknown>;
  },
  namespace: string,
  name: string,
): Promise<DeleteResponse> {
  const { api } = deps;
  const [runtime, isvc] = await Promise.all([
    getServingRuntime(api, namespace, name),
    getInferenceService(api, namespace, name),
  ]).catch((error: unknown) => {
    throw fromKubernetesError(error, `reading deployment ${name}`);
  });
  if (!runtime && !isvc) {
    throw new DashboardError('not-found', `No NIM deployment "${name}" in project ${namespace}.`, {
      status: 404,
    });
  }
  const orphanModel = isvc?.spec?.predictor?.model?.modelFormat?.name;
  const notNim = runtime
    ? !isNimServingRuntime(runtime)
    : orphanModel === undefined || !deps.catalog.has(orphanModel);
  if (notNim) {
    throw new DashboardError(
      'not-found',
      `"${name}" in project ${namespace} is not a NIM deployment; delete it from the model serving page.`,
      { status: 404 },
    );
  }

  const claim = runtime ? cacheClaimOf(runtime)?.claimName : undefined;
  try {
    await ownByCurrentUsers(api, namespace, claim);
  } catch (error) {
    // Without it the collector could take a Secret or PVC another workload uses: do not delete.
    throw fromKubernetesError(error, `recording who else uses the objects of deployment ${name}`);
  }
  const dependents = await readDependents(api, namespace, claim);
  const response: DeleteResponse = { deleted: [], kept: [] };
  try {
    if (isvc) {
      const preconditions = isvc.metadata.uid ? { uid: isvc.metadata.uid } : undefined;
      if (await deleteInferenceService(api, { namespace, name, preconditions })) {
        response.deleted.push({ kind: 'InferenceService', name });
      }
    }
    if (runtime) {
      const preconditions = runtime.metadata.uid ? { uid: runtime.metadata.uid } : undefined;
      if (await deleteServingRuntime(api, { namespace, name, preconditions })) {
        response.deleted.push({ kind: 'ServingRuntime', name });
      }
    }
  } catch (error) {
    throw fromKubernetesError(error, `deleting deployment ${name}`);
  }

  const gone = new Set([runtime?.metadata.uid, isvc?.metadata.uid].filter(isDefined));
  const collected: ObjectRef[] = [];
  for (const { ref, owners } of dependents) {
    const others = (owners ?? []).filter((owner) => !gone.has(owner.uid));
    if ((owners ?? []).length === 0) {
      response.kept.push({ ...ref, reason: notOwnedReason(ref) });
    } else if (others.length > 0) {
      const users = others.map((owner) => `${owner.kind} ${owner.name}`).join(', ');
      response.kept.push({ ...ref, reason: `still used by ${users}` });
    } else {
      collected.push(ref);
    }
  }
  if (collected.length > 0) response.collected = collected;
  deps.logger.info(
    {
      namespace,
      deployment: name,
      deleted: response.deleted.length,
      collected: collected.length,
      kept: response.kept.length,
    },
    'NIM deployment deleted',
  );
  return response;
}

/** The cache PVC and the two secrets as they are now, for the answer only. */
async function readDependents(
  api: KubeClients,
  namespace: string,
  claimName: string | undefined,
): Promise<Dependent[]> {
  const read = async (ref: ObjectRef): Promise<Dependent | undefined> => {
    try {
      const object =
        ref.kind === 'PersistentVolumeClaim'
          ? await getPvc(api, namespace, ref.name)
          : await getSecret(api, namespace, ref.name);
      return object ? { ref, owners: object.metadata?.ownerReferences } : undefined;
    } catch {
      // Only the answer needs it: a caller who may not read it still deletes.
      return undefined;
    }
  };
  const refs: ObjectRef[] = [
    ...(claimName ? [{ kind: 'PersistentVolumeClaim' as const, name: claimName }] : []),
    { kind: 'Secret', name: NIM_SECRET_NAME },
    { kind: 'Secret', name: NIM_PULL_SECRET_NAME },
  ];
  return (await Promise.all(refs.map(read))).filter(isDefined);
}

function notOwnedReason(ref: ObjectRef): string {
  return ref.kind === 'PersistentVolumeClaim'
    ? 'no deployment owns it (a PVC you made is never deleted)'
    : 'no deployment owns it, so it stays until you delete it';
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
