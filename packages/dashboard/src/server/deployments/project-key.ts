import type { V1Secret } from '@kubernetes/client-node';

import {
  buildApiKeySecret,
  buildPullSecret,
  NIM_PULL_SECRET_NAME,
  NIM_SECRET_NAME,
  type OwnerReference,
  type SecretObject,
} from '@odh-nim/contract';

import type { KeyInUse, ObjectAction } from '../../api/types.js';
import { DashboardError } from '../errors.js';
import type { KubeClients } from '../k8s/clients.js';
import { addOwners } from '../k8s/owner-references.js';
import { raceable, retryLostRaces } from '../k8s/races.js';
import { createSecret, getSecret, updateSecret } from '../k8s/secrets/k8s.js';
import { storedKeyOf } from './key-version.js';
import { listSecretReferrers } from './secret-referrers.js';
import { buildSecretUpdate, isSecretCurrent, type SecretWrite } from './secret-writes.js';

/** The key a deploy or a rotation asks the project to hold. */
export interface KeyRequest {
  /** Stored when the project has no key: the request's key, or the stored one read earlier. */
  apiKey: string;
  /** Where `apiKey` came from. */
  source: KeyInUse;
  /** Whether `apiKey` may replace a different key the project stores. */
  replace: boolean;
}

export interface EnsureProjectKeyParams {
  api: KubeClients;
  namespace: string;
  want: KeyRequest;
  /**
   * A deploy's ServingRuntime: made an owner of both secrets, with every other object that refers
   * to them. Without it (a rotation) owners are set only on a Secret this call creates.
   */
  owner?: OwnerReference | undefined;
  registry?: string | undefined;
  /** Called with each write as soon as it is made, so a failure later can undo it. */
  onWrite?: (write: SecretWrite) => void;
}

/** Where the project's key stands after {@link ensureProjectKey}. */
export interface EnsuredProjectKey {
  /** The key both secrets hold (in memory only). */
  apiKey: string;
  keyInUse: KeyInUse;
  /** True when this call changed the key the project's deployments run with. */
  keyChanged: boolean;
  /** What happened to each Secret, for the response. */
  actions: ObjectAction[];
  /** Every write, in order, for a rollback. */
  writes: SecretWrite[];
}

/**
 * Makes `nvidia-nim-secrets` hold the project's key and `nvidia-nim-image-pull` follow it, as the
 * caller, safe against other requests (on any backend replica) doing the same at once: every
 * update carries the resourceVersion it was computed from, a lost race is read again and retried,
 * and a Secret another request created meanwhile is used, not an error.
 *
 * The key Secret decides: the pull secret is always rebuilt from the key it holds, read after
 * the pull secret itself, so the two cannot end on different keys.
 */
export async function ensureProjectKey(params: EnsureProjectKeyParams): Promise<EnsuredProjectKey> {
  const { api, namespace } = params;
  const referrers = await listSecretReferrers(api, namespace);
  const ownersOf = (name: string): OwnerReference[] => [
    ...(referrers.get(name) ?? []),
    ...(params.owner ? [params.owner] : []),
  ];
  const writes: SecretWrite[] = [];
  const record = (write: SecretWrite): void => {
    writes.push(write);
    params.onWrite?.(write);
  };
  let keyChanged = false;
  // NB: the key Secret can vanish between the two steps (deleted by hand, or collected after its
  // last owner went); then it is written again, once.
  for (let round = 1; ; round++) {
    const key = await retryLostRaces(`Secret ${NIM_SECRET_NAME}`, () =>
      writeKeySecret(params, ownersOf(NIM_SECRET_NAME)),
    );
    record(key.write);
    keyChanged ||= key.keyChanged;
    try {
      const pull = await retryLostRaces(`Secret ${NIM_PULL_SECRET_NAME}`, () =>
        writePullSecret(params, ownersOf(NIM_PULL_SECRET_NAME)),
      );
      record(pull.write);
      const keyInUse: KeyInUse =
        params.want.source === 'request' && pull.apiKey === params.want.apiKey
          ? 'request'
          : 'stored';
      const actionOf = (write: SecretWrite): ObjectAction => ({
        kind: 'Secret',
        name: write.name,
        action:
          write.change === 'created' || write.change === 'updated'
            ? write.change
            : keyInUse === 'request'
              ? 'unchanged'
              : 'reused',
      });
      return {
        apiKey: pull.apiKey,
        keyInUse,
        keyChanged,
        actions: [actionOf(key.write), actionOf(pull.write)],
        writes,
      };
    } catch (error) {
      if (!(error instanceof KeySecretGone)) throw error;
      if (round >= 2) {
        throw new DashboardError(
          'conflict',
          `Secret ${NIM_SECRET_NAME} kept disappearing while this request wrote the key; try again.`,
          { status: 409, cause: error },
        );
      }
    }
  }
}

/** The key Secret went while the pull secret was being written. */
class KeySecretGone extends Error {
  override name = 'KeySecretGone';
}

interface KeySecretOutcome {
  write: SecretWrite;
  keyChanged: boolean;
}

/** One attempt at `nvidia-nim-secrets`: create it, or reuse, replace or own the one there. */
async function writeKeySecret(
  params: EnsureProjectKeyParams,
  owners: OwnerReference[],
): Promise<KeySecretOutcome> {
  const { api, namespace, want } = params;
  const name = NIM_SECRET_NAME;
  const desired = buildApiKeySecret({ namespace, apiKey: want.apiKey });
  const current = await getSecret(api, namespace, name);
  if (!current) {
    const created = await raceable(createSecret(api, withOwners(desired, owners)));
    return { write: { name, change: 'created', ...versionOf(created) }, keyChanged: true };
  }
  const stored = storedKeyOf(current);
  // The request's key wins only when it may replace the stored one (or there is none to keep).
  const writeRequestKey = stored === undefined || stored === want.apiKey || want.replace;
  const dataChanges = writeRequestKey && !isSecretCurrent(desired, current);
  const write = await updateIfChanged(params, {
    current,
    desired: dataChanges ? desired : undefined,
    owners,
  });
  return { write, keyChanged: dataChanges && stored !== want.apiKey };
}

/** One attempt at `nvidia-nim-image-pull`: make it carry the key `nvidia-nim-secrets` holds now. */
async function writePullSecret(
  params: EnsureProjectKeyParams,
  owners: OwnerReference[],
): Promise<{ write: SecretWrite; apiKey: string }> {
  const { api, namespace } = params;
  const name = NIM_PULL_SECRET_NAME;
  // Read the pull secret first, then the key: a key written after our read makes the
  // conditional update below fail, or is one whose writer fixes the pull secret after us.
  const current = await getSecret(api, namespace, name);
  const keySecret = await getSecret(api, namespace, NIM_SECRET_NAME);
  if (!keySecret) throw new KeySecretGone(`${NIM_SECRET_NAME} is gone`);
  const apiKey = storedKeyOf(keySecret);
  if (apiKey === undefined) {
    throw new DashboardError(
      'conflict',
      `Secret ${NIM_SECRET_NAME} of project ${namespace} was changed and holds no NGC key; enter the key again.`,
      { status: 409 },
    );
  }
  const desired = buildPullSecret({ namespace, apiKey, registry: params.registry });
  if (!current) {
    const created = await raceable(createSecret(api, withOwners(desired, owners)));
    return { write: { name, change: 'created', ...versionOf(created) }, apiKey };
  }
  const dataChanges = !isSecretCurrent(desired, current);
  const write = await updateIfChanged(params, {
    current,
    desired: dataChanges ? desired : undefined,
    owners,
  });
  return { write, apiKey };
}

/**
 * Updates `current` to `desired`'s data (when given) and, for a deploy, `owners`, conditional on
 * the resourceVersion it was read at; no call when nothing would change.
 */
async function updateIfChanged(
  params: EnsureProjectKeyParams,
  change: { current: V1Secret; desired: SecretObject | undefined; owners: OwnerReference[] },
): Promise<SecretWrite> {
  const { current, desired } = change;
  const name = current.metadata?.name ?? '';
  const owned = params.owner
    ? addOwners(current.metadata?.ownerReferences, change.owners)
    : { owners: current.metadata?.ownerReferences, changed: false };
  if (!desired && !owned.changed) return { name, change: 'none' };
  const base: V1Secret = desired ? buildSecretUpdate(desired, current) : current;
  const updated = await raceable(
    updateSecret(params.api, {
      ...base,
      metadata: {
        ...base.metadata,
        managedFields: undefined,
        ...(owned.owners && owned.owners.length > 0 ? { ownerReferences: owned.owners } : {}),
      },
    }),
  );
  return {
    name,
    change: desired ? 'updated' : 'owners',
    original: current,
    ...versionOf(updated),
  };
}

/** `secret` created with `owners` (one entry per uid). */
function withOwners(secret: SecretObject, owners: OwnerReference[]): V1Secret {
  if (owners.length === 0) return secret;
  return {
    ...secret,
    metadata: { ...secret.metadata, ownerReferences: addOwners([], owners).owners },
  };
}

function versionOf(secret: V1Secret): { resourceVersion?: string } {
  const version = secret.metadata?.resourceVersion;
  return version ? { resourceVersion: version } : {};
}
