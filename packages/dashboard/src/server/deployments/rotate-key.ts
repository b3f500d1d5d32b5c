import { describeKeyProblem } from '@odh-nim/contract';

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
import type { ServerLogger } from '../logger.js';
import { syncKeyVersions, type KeyRestarts } from './key-restarts.js';
import { ensureProjectKey, type EnsuredProjectKey } from './project-key.js';
import { undoSecretWrite, type SecretWrite } from './secret-writes.js';

/** What a key rotation needs. */
export interface RotateKeyDeps {
  api: KubeClients;
  cache: ClusterCache;
  ngc: KeyValidator;
  registry?: string | undefined;
  logger: ServerLogger;
}

/**
 * Rotates a project's NGC key: validates it (unless disabled), makes both secrets hold it
 * (undoing its writes if the second fails), then restarts every NIM deployment of the project
 * onto it and reports which ones. The key the project already holds changes nothing and
 * restarts nothing (`changed: false`).
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

  const key = await writeKey(deps, namespace, apiKey);
  let restarts: KeyRestarts = { restarted: [], failed: [] };
  if (key.keyChanged) {
    try {
      restarts = await syncKeyVersions(deps.api, namespace, { keyChanged: true });
    } catch (error) {
      throw fromKubernetesError(error, `listing the NIM deployments of project ${namespace}`);
    }
  }
  const changed = key.writes.some(
    (write) => write.change === 'created' || write.change === 'updated',
  );
  deps.logger.info(
    { namespace, changed, restarted: restarts.restarted.length, failed: restarts.failed.length },
    'NIM key rotated',
  );
  return {
    secrets: key.actions,
    restarted: restarts.restarted,
    failed: restarts.failed,
    keyValidation: validation.kind,
    changed,
  };
}

/** Both secrets with the new key; on a failure, what this rotation wrote is undone. */
async function writeKey(
  deps: RotateKeyDeps,
  namespace: string,
  apiKey: string,
): Promise<EnsuredProjectKey> {
  const writes: SecretWrite[] = [];
  try {
    return await ensureProjectKey({
      api: deps.api,
      namespace,
      want: { apiKey, source: 'request', replace: true },
      registry: deps.registry,
      onWrite: (write) => writes.push(write),
    });
  } catch (error) {
    for (const write of writes.reverse()) {
      await undoSecretWrite(deps.api, namespace, write).catch((undoError: unknown) => {
        deps.logger.error(
          { namespace, secret: write.name },
          `could not undo a key rotation write: ${kubernetesMessageOf(undoError)}`,
        );
      });
    }
    throw fromKubernetesError(error, 'updating the NIM secrets');
  }
}
