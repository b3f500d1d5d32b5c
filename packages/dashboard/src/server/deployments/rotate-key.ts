import { buildNimSecrets, describeKeyProblem } from '@odh-nim/contract';

import {
  rotateKeyRequestSchema,
  toFieldIssues,
  type RotateKeyResponse,
  type ValidateKeyResponse,
} from '../../api/types.js';
import type { ClusterCache } from '../cluster-cache.js';
import { DashboardError, RequestValidationError } from '../errors.js';
import { checkKey, keyErrorOf, SKIPPED_VALIDATION, type KeyValidator } from '../key-validation.js';
import type { KubeClients } from '../k8s/clients.js';
import { fromKubernetesError, kubernetesMessageOf } from '../k8s/errors.js';
import { updateInferenceServiceRestartedAt } from '../k8s/inference-services/k8s.js';
import { getSecret } from '../k8s/secrets/k8s.js';
import { listServingRuntimes } from '../k8s/serving-runtimes/k8s.js';
import { isNimServingRuntime } from './nim-runtime.js';
import { undoSecretWrite, writeSecret, type SecretWrite } from './secret-writes.js';
import type { ServerLogger } from '../logger.js';

/** What a key rotation needs. */
export interface RotateKeyDeps {
  api: KubeClients;
  cache: ClusterCache;
  ngc: KeyValidator;
  registry?: string | undefined;
  logger: ServerLogger;
  now?: () => Date;
}

/**
 * Rotates a project's NGC key: validates it (unless disabled), writes both secrets (undoing the
 * first if the second fails), then restarts every NIM deployment of the project through a
 * restart annotation on its predictor, and reports which ones.
 */
export async function rotateKey(
  deps: RotateKeyDeps,
  namespace: string,
  body: unknown,
): Promise<RotateKeyResponse> {
  const parsed = rotateKeyRequestSchema.safeParse(body);
  if (!parsed.success) throw new RequestValidationError(toFieldIssues(parsed.error));
  const settings = deps.cache.settings;
  if (!settings.keyCollection) {
    throw new DashboardError(
      'invalid-request',
      'Key collection is disabled by the administrator (disableKeyCollection): this cluster stores no NGC key per project.',
      { status: 400, field: 'apiKey' },
    );
  }
  const apiKey = parsed.data.apiKey.trim();
  let validation: ValidateKeyResponse = SKIPPED_VALIDATION;
  if (settings.keyValidation) {
    validation = await checkKey(deps.ngc, apiKey);
  } else {
    const problem = describeKeyProblem(apiKey);
    if (problem) validation = { valid: false, kind: 'legacy', message: problem };
  }
  const keyError = keyErrorOf(validation);
  if (keyError) throw keyError;

  const { api } = deps;
  const desired = buildNimSecrets({ namespace, apiKey, registry: deps.registry });
  const writes: SecretWrite[] = [];
  try {
    for (const secret of desired) {
      const existing = await getSecret(api, namespace, secret.metadata.name);
      writes.push(await writeSecret(api, secret, existing));
    }
  } catch (error) {
    for (const write of writes.reverse()) {
      await undoSecretWrite(api, namespace, write).catch((undoError: unknown) => {
        deps.logger.error(
          { namespace, secret: write.name },
          `could not undo a key rotation write: ${kubernetesMessageOf(undoError)}`,
        );
      });
    }
    throw fromKubernetesError(error, 'updating the NIM secrets');
  }

  let runtimes: Awaited<ReturnType<typeof listServingRuntimes>>;
  try {
    runtimes = (await listServingRuntimes(api, namespace)).filter(isNimServingRuntime);
  } catch (error) {
    throw fromKubernetesError(error, `listing the NIM deployments of project ${namespace}`);
  }
  const restartedAt = (deps.now?.() ?? new Date()).toISOString();
  const restarted: string[] = [];
  const failed: RotateKeyResponse['failed'] = [];
  await Promise.all(
    runtimes.map(async (runtime) => {
      const name = runtime.metadata.name;
      try {
        await updateInferenceServiceRestartedAt(api, { namespace, name, restartedAt });
        restarted.push(name);
      } catch (error) {
        failed.push({ name, message: kubernetesMessageOf(error) });
      }
    }),
  );
  restarted.sort();
  deps.logger.info(
    { namespace, restarted: restarted.length, failed: failed.length },
    'NIM key rotated',
  );
  return {
    secrets: writes.map((write) => ({ kind: 'Secret', name: write.name, action: write.action })),
    restarted,
    failed,
    keyValidation: validation.kind,
  };
}
