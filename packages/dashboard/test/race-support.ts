// What the race suite needs besides the harness: seeded randomness, bounded concurrency, and the
// project's end state read from the apiserver once the garbage collector has settled.
import type { V1PersistentVolumeClaim, V1Secret } from '@kubernetes/client-node';

import {
  API,
  decodeBase64,
  NIM_CACHE_VOLUME,
  NIM_PULL_SECRET_NAME,
  NIM_PVC_PREFIX,
  NIM_SECRET_NAME,
  ANNOTATIONS,
} from '@odh-nim/contract';
import { createTestNamespace } from '@odh-nim/testkit';

import { keyVersionOf, storedKeyOf } from '../src/server/deployments/key-version.js';
import { inferenceServiceReadSchema } from '../src/server/k8s/inference-services/types.js';
import type { InferenceServiceRead } from '../src/server/k8s/inference-services/types.js';
import { parseItems } from '../src/server/k8s/object-meta.js';
import {
  servingRuntimeReadSchema,
  type ServingRuntimeRead,
} from '../src/server/k8s/serving-runtimes/types.js';
import type { Harness } from './harness.js';

/** A small seeded generator (mulberry32): a failing round can be replayed with its seed. */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const a = copy[i];
      const b = copy[j];
      if (a === undefined || b === undefined) continue;
      copy[i] = b;
      copy[j] = a;
    }
    return copy;
  }

  /** Waits up to `maxMs`: requests started together reach the apiserver in a random order. */
  async jitter(maxMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.int(maxMs + 1)));
  }
}

/**
 * Checks of a settled project within one round. What a user would notice (a deployment without
 * its secrets, a PVC left behind, two keys) fails at once; the mechanism (who owns what, which
 * key version the pods record) is checked once the round's other checks passed.
 */
export class RoundChecks {
  private readonly ownership: string[] = [];

  settled(state: ProjectState, context: string, userPvcs?: ReadonlyMap<string, string>): void {
    const found = checkProject(state, userPvcs ? { userPvcs } : {});
    if (found.behaviour.length > 0) throw new Error(`${context}: ${found.behaviour.join('; ')}`);
    this.ownership.push(...found.ownership.map((line) => `${context}: ${line}`));
  }

  /** Throws the ownership violations recorded during the round. */
  finish(): void {
    if (this.ownership.length > 0) throw new Error(this.ownership.join('; '));
  }
}

/**
 * Runs `rounds` rounds of a scenario, `parallel` at a time, each in its own project with its
 * own generator; every failure names the seed and round that replay it.
 */
export async function repeatRounds(
  options: { seed: number; rounds: number; parallel: number; scenario: string },
  round: (random: Random, checks: RoundChecks) => Promise<void>,
): Promise<void> {
  const salt = [...options.scenario].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) | 0, 0);
  let next = 0;
  const failures: string[] = [];
  const worker = async (): Promise<void> => {
    while (next < options.rounds) {
      const index = next++;
      const seed = (options.seed ^ salt) + index;
      const label = `${options.scenario}, round ${index} (RACE_SEED=${options.seed}, round seed ${seed})`;
      try {
        const checks = new RoundChecks();
        await round(new Random(seed), checks);
        checks.finish();
      } catch (error) {
        // The first line says what broke; the rest is a diff the summary does not need.
        const message = error instanceof Error ? error.message : String(error);
        failures.push(`${label}: ${message.split('\n')[0] ?? ''}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.parallel }, worker));
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} of ${options.rounds} rounds failed:\n${failures.join('\n')}`,
    );
  }
}

/** Which backend replica a request goes to: alternating from a random start, or always 0. */
export function replicaPicker(random: Random, replicas: number): () => number {
  let turn = random.int(replicas);
  return () => turn++ % replicas;
}

/** A project's objects, as the admin reads them. */
export interface ProjectState {
  namespace: string;
  secrets: Map<string, V1Secret>;
  pvcs: Map<string, V1PersistentVolumeClaim>;
  runtimes: ServingRuntimeRead[];
  inferenceServices: InferenceServiceRead[];
}

export async function readProjectState(
  harness: Pick<Harness, 'core' | 'custom'>,
  namespace: string,
): Promise<ProjectState> {
  const [secrets, pvcs, runtimes, services] = await Promise.all([
    harness.core.listNamespacedSecret({ namespace }),
    harness.core.listNamespacedPersistentVolumeClaim({ namespace }),
    harness.custom.listNamespacedCustomObject({ ...API.servingRuntime, namespace }),
    harness.custom.listNamespacedCustomObject({ ...API.inferenceService, namespace }),
  ]);
  const byName = <T extends { metadata?: { name?: string } }>(items: T[]): Map<string, T> =>
    new Map(items.map((item) => [item.metadata?.name ?? '', item]));
  return {
    namespace,
    secrets: byName(secrets.items),
    pvcs: byName(pvcs.items),
    runtimes: parseItems(runtimes, servingRuntimeReadSchema),
    inferenceServices: parseItems(services, inferenceServiceReadSchema),
  };
}

/**
 * What the garbage collector (or a finalizer) still has to do in the project: an object being
 * deleted, or a Secret or PVC owned by a ServingRuntime or InferenceService that is gone.
 */
export function pendingCollection(state: ProjectState): string[] {
  const live = new Set(
    [...state.runtimes, ...state.inferenceServices].flatMap((object) =>
      object.metadata.uid ? [object.metadata.uid] : [],
    ),
  );
  const pending: string[] = [];
  for (const object of [...state.runtimes, ...state.inferenceServices]) {
    if (object.metadata.deletionTimestamp) pending.push(`${object.metadata.name} is terminating`);
  }
  for (const [kind, objects] of [
    ['Secret', state.secrets],
    ['PVC', state.pvcs],
  ] as const) {
    for (const [name, object] of objects) {
      if (object.metadata?.deletionTimestamp) pending.push(`${kind} ${name} is terminating`);
      for (const owner of object.metadata?.ownerReferences ?? []) {
        const ours = owner.kind === 'ServingRuntime' || owner.kind === 'InferenceService';
        if (ours && !live.has(owner.uid)) {
          pending.push(`${kind} ${name} has the gone owner ${owner.kind} ${owner.name}`);
        }
      }
    }
  }
  return pending;
}

/** Waits (bounded) until the garbage collector has nothing left to do, then reads the state. */
export async function settle(
  harness: Pick<Harness, 'core' | 'custom'>,
  namespace: string,
  timeoutMs = 60_000,
): Promise<ProjectState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await readProjectState(harness, namespace);
    const pending = pendingCollection(state);
    if (pending.length === 0) return state;
    if (Date.now() > deadline) {
      throw new Error(
        `the garbage collector did not settle in ${timeoutMs} ms: ${pending.join('; ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/**
 * The guarantees, checked on a settled project; each broken one is a sentence. `behaviour` is
 * what a user would notice; `ownership` the mechanism behind it: who owns what, and the key
 * version each deployment's pods record. `userPvcs` are PVCs made outside the dashboard, by name
 * and uid.
 */
export function checkProject(
  state: ProjectState,
  options: { userPvcs?: ReadonlyMap<string, string> } = {},
): { behaviour: string[]; ownership: string[] } {
  const violations: string[] = [];
  const ownership: string[] = [];
  const runtimes = state.runtimes.filter((r) => !r.metadata.deletionTimestamp);
  const keySecret = state.secrets.get(NIM_SECRET_NAME);
  const pullSecret = state.secrets.get(NIM_PULL_SECRET_NAME);
  for (const runtime of runtimes) {
    for (const [name, secret] of [
      [NIM_SECRET_NAME, keySecret],
      [NIM_PULL_SECRET_NAME, pullSecret],
    ] as const) {
      if (!secret) violations.push(`deployment ${runtime.metadata.name} has no Secret ${name}`);
      else if (!ownedBy(secret, runtime.metadata.uid)) {
        ownership.push(`Secret ${name} is not owned by ServingRuntime ${runtime.metadata.name}`);
      }
    }
  }
  if (runtimes.length === 0) {
    if (keySecret) violations.push(`Secret ${NIM_SECRET_NAME} outlived every deployment`);
    if (pullSecret) violations.push(`Secret ${NIM_PULL_SECRET_NAME} outlived every deployment`);
  }
  const apiKey = storedKeyOf(keySecret);
  if (keySecret && pullSecret && pullKeyOf(pullSecret) !== apiKey) {
    violations.push('the two secrets hold different keys');
  }
  const runtimeByName = new Map(runtimes.map((r) => [r.metadata.name, r]));
  const cacheUsers = new Map<string, string[]>();
  for (const isvc of state.inferenceServices) {
    const name = isvc.metadata.name;
    const runtime = runtimeByName.get(isvc.spec?.predictor?.model?.runtime ?? name);
    if (!runtime) {
      violations.push(`InferenceService ${name} has no ServingRuntime`);
      continue;
    }
    const recorded = isvc.spec?.predictor?.annotations?.[ANNOTATIONS.keyVersion];
    if (apiKey !== undefined && recorded !== keyVersionOf(state.namespace, apiKey)) {
      ownership.push(`InferenceService ${name} does not record the project's key version`);
    }
    const claim = runtime.spec?.volumes?.find((v) => v.name === NIM_CACHE_VOLUME)
      ?.persistentVolumeClaim?.claimName;
    if (!claim) continue;
    if (!state.pvcs.has(claim))
      violations.push(`deployment ${name} mounts the missing PVC ${claim}`);
    cacheUsers.set(claim, [...(cacheUsers.get(claim) ?? []), isvc.metadata.uid ?? '']);
  }
  for (const [name, pvc] of state.pvcs) {
    const users = cacheUsers.get(name) ?? [];
    const owners = (pvc.metadata?.ownerReferences ?? []).map((o) => o.uid).sort();
    if (options.userPvcs?.has(name)) {
      if (pvc.metadata?.uid !== options.userPvcs.get(name))
        violations.push(`user PVC ${name} was replaced`);
      if (owners.length > 0) ownership.push(`user PVC ${name} got owners`);
      continue;
    }
    if (!name.startsWith(NIM_PVC_PREFIX)) continue;
    if (users.length === 0) violations.push(`cache PVC ${name} is left with no deployment`);
    else if (owners.join() !== [...users].sort().join()) {
      ownership.push(`cache PVC ${name} is not owned by exactly the deployments that mount it`);
    }
  }
  for (const name of options.userPvcs?.keys() ?? []) {
    if (!state.pvcs.has(name)) violations.push(`user PVC ${name} was deleted`);
  }
  return { behaviour: violations, ownership };
}

/** The key a pull secret carries (its only registry's password). */
export function pullKeyOf(secret: V1Secret | undefined): string | undefined {
  const encoded = secret?.data?.['.dockerconfigjson'];
  if (!encoded) return undefined;
  const parsed: unknown = JSON.parse(decodeBase64(encoded));
  const auths = Object(Object(parsed).auths);
  const first: unknown = Object.values(auths)[0];
  const password: unknown = Object(first).password;
  return typeof password === 'string' ? password : undefined;
}

/**
 * Waits until the garbage collector knows ServingRuntimes and InferenceServices as owners: the
 * CRDs are installed after kube-controller-manager starts, and it finds new kinds on a resync.
 */
export async function waitForGarbageCollector(
  harness: Pick<Harness, 'admin' | 'core' | 'custom'>,
): Promise<void> {
  const namespace = await createTestNamespace(harness.admin, 'gc-ready');
  const owners = [
    {
      resource: API.servingRuntime,
      body: {
        apiVersion: `${API.servingRuntime.group}/${API.servingRuntime.version}`,
        kind: 'ServingRuntime',
        metadata: { name: 'probe' },
        spec: { containers: [{ name: 'c', image: 'x' }] },
      },
    },
    {
      resource: API.inferenceService,
      body: {
        apiVersion: `${API.inferenceService.group}/${API.inferenceService.version}`,
        kind: 'InferenceService',
        metadata: { name: 'probe' },
        spec: { predictor: { model: { modelFormat: { name: 'x' } } } },
      },
    },
  ];
  await Promise.all(
    owners.map(async ({ resource, body }) => {
      const created: unknown = await harness.custom.createNamespacedCustomObject({
        ...resource,
        namespace,
        body,
      });
      const uid: unknown = Object(Object(created).metadata).uid;
      if (typeof uid !== 'string') throw new Error('the probe owner has no uid');
      const configMap = `owned-by-${resource.plural}`;
      await harness.core.createNamespacedConfigMap({
        namespace,
        body: {
          metadata: {
            name: configMap,
            ownerReferences: [{ apiVersion: body.apiVersion, kind: body.kind, name: 'probe', uid }],
          },
        },
      });
      await harness.custom.deleteNamespacedCustomObject({ ...resource, namespace, name: 'probe' });
      const deadline = Date.now() + 90_000;
      for (;;) {
        const list = await harness.core.listNamespacedConfigMap({ namespace });
        if (!list.items.some((item) => item.metadata?.name === configMap)) return;
        if (Date.now() > deadline)
          throw new Error(`the garbage collector ignores ${resource.plural}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }),
  );
}

/** Waits (bounded) until the named Secrets and PVCs are gone for real, not just terminating. */
export async function waitUntilGone(
  harness: Pick<Harness, 'core' | 'custom'>,
  namespace: string,
  names: { secrets?: string[]; pvcs?: string[] },
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await readProjectState(harness, namespace);
    const left = [
      ...(names.secrets ?? []).filter((name) => state.secrets.has(name)),
      ...(names.pvcs ?? []).filter((name) => state.pvcs.has(name)),
    ];
    if (left.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`still there after ${timeoutMs} ms: ${left.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

function ownedBy(object: V1Secret, uid: string | undefined): boolean {
  return uid !== undefined && (object.metadata?.ownerReferences ?? []).some((o) => o.uid === uid);
}
