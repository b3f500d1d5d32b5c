import {
  ANNOTATIONS,
  collectReferences,
  NIM_PULL_SECRET_NAME,
  NIM_SECRET_NAME,
} from '@odh-nim/contract';

import type { DeleteResponse, ObjectRef } from '../../api/types.js';
import { DashboardError } from '../errors.js';
import type { KubeClients } from '../k8s/clients.js';
import { fromKubernetesError } from '../k8s/errors.js';
import {
  deleteInferenceService,
  getInferenceService,
  listInferenceServices,
} from '../k8s/inference-services/k8s.js';
import { deletePvc } from '../k8s/pvcs/k8s.js';
import { deleteSecret } from '../k8s/secrets/k8s.js';
import {
  deleteServingRuntime,
  getServingRuntime,
  listServingRuntimes,
} from '../k8s/serving-runtimes/k8s.js';
import { cacheClaimOf, claimsOf, isNimServingRuntime } from './nim-runtime.js';
import type { ServerLogger } from '../logger.js';

/**
 * Deletes a NIM deployment per SPEC §3.4, as the caller: the InferenceService and ServingRuntime
 * (already gone counts as deleted), the PVC when this deployment created it and no other
 * ServingRuntime mounts it, and the project's two NIM secrets when no NIM deployment is left.
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

  const response: DeleteResponse = { deleted: [], kept: [] };
  const record = (ref: ObjectRef, existed: boolean): void => {
    if (existed) response.deleted.push(ref);
  };
  try {
    record({ kind: 'InferenceService', name }, await deleteInferenceService(api, namespace, name));
    record({ kind: 'ServingRuntime', name }, await deleteServingRuntime(api, namespace, name));
  } catch (error) {
    throw fromKubernetesError(error, `deleting deployment ${name}`);
  }

  let remaining: Awaited<ReturnType<typeof listServingRuntimes>>;
  try {
    // NB: a ServingRuntime with finalizers may linger after delete; never count ours as in use.
    remaining = (await listServingRuntimes(api, namespace)).filter(
      (other) => other.metadata.name !== name,
    );
  } catch (error) {
    throw fromKubernetesError(error, `listing ServingRuntimes of project ${namespace}`);
  }

  const createdPvc = runtime?.metadata.annotations?.[ANNOTATIONS.createdPvc];
  const claim = runtime ? cacheClaimOf(runtime) : undefined;
  if (createdPvc) {
    const users = remaining.filter((other) => claimsOf(other).includes(createdPvc));
    if (users.length > 0) {
      response.kept.push({
        kind: 'PersistentVolumeClaim',
        name: createdPvc,
        reason: `still used by ${users.map((u) => u.metadata.name).join(', ')}`,
      });
    } else {
      try {
        record(
          { kind: 'PersistentVolumeClaim', name: createdPvc },
          await deletePvc(api, namespace, createdPvc),
        );
      } catch (error) {
        throw fromKubernetesError(error, `deleting PVC ${createdPvc}`);
      }
    }
  } else if (claim) {
    response.kept.push({
      kind: 'PersistentVolumeClaim',
      name: claim.claimName,
      reason: 'it existed before this deployment',
    });
  }

  const nimLeft = remaining.filter(isNimServingRuntime);
  if (nimLeft.length > 0) {
    const names = nimLeft.map((r) => r.metadata.name).join(', ');
    for (const secret of [NIM_SECRET_NAME, NIM_PULL_SECRET_NAME]) {
      response.kept.push({ kind: 'Secret', name: secret, reason: `still used by ${names}` });
    }
  } else {
    // No NIM deployment is left, but a hand-made runtime may still mount the key: keep what
    // any remaining ServingRuntime or InferenceService refers to.
    let users: { kind: string; metadata: { name: string } }[];
    try {
      const services = (await listInferenceServices(api, namespace)).filter(
        (other) => other.metadata.name !== name,
      );
      users = [
        ...remaining.map((o) => ({ ...o, kind: 'ServingRuntime' })),
        ...services.map((o) => ({ ...o, kind: 'InferenceService' })),
      ];
    } catch (error) {
      throw fromKubernetesError(error, `listing InferenceServices of project ${namespace}`);
    }
    try {
      for (const secret of [NIM_SECRET_NAME, NIM_PULL_SECRET_NAME]) {
        const using = users.filter((user) => collectReferences(user).secrets.has(secret));
        if (using.length > 0) {
          const names = using.map((u) => `${u.kind} ${u.metadata.name}`).join(', ');
          response.kept.push({ kind: 'Secret', name: secret, reason: `still used by ${names}` });
        } else {
          record({ kind: 'Secret', name: secret }, await deleteSecret(api, namespace, secret));
        }
      }
    } catch (error) {
      throw fromKubernetesError(error, 'deleting the NIM secrets');
    }
  }
  deps.logger.info(
    { namespace, deployment: name, deleted: response.deleted.length, kept: response.kept.length },
    'NIM deployment deleted',
  );
  return response;
}
