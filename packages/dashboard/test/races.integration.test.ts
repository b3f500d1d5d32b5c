// Deploy, delete and key rotation racing each other, on the real control plane with its garbage
// collector, through one backend and split across two. Every scenario runs ROUNDS rounds with
// random start delays, orders and replicas, and judges the end state read from the apiserver
// once the collector has settled, not the answers. RACE_SEED=<n> replays a failing run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { NIM_PULL_SECRET_NAME, NIM_SECRET_NAME } from '@odh-nim/contract';

import {
  apiKeyPath,
  deploymentPath,
  deploymentsPath,
  deployResponseSchema,
  rotateKeyResponseSchema,
} from '../src/api/types.js';
import { storedKeyOf } from '../src/server/deployments/key-version.js';
import {
  createProject,
  deployBody,
  findLeaks,
  GOOD_KEY,
  OTHER_GOOD_KEY,
  startHarness,
  THIRD_GOOD_KEY,
  type CallResult,
  type Harness,
} from './harness.js';
import {
  pullKeyOf,
  repeatRounds,
  replicaPicker,
  settle,
  waitForGarbageCollector,
  type Random,
  type RoundChecks,
} from './race-support.js';

const SEED = Number(process.env['RACE_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = 20;
/** Rounds in flight at once, each in its own project. */
const PARALLEL = 4;
/** Longest random delay before a racing request starts. */
const JITTER_MS = 40;
const SCENARIO_TIMEOUT_MS = 240_000;

describe('deploy, delete and rotate racing each other', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      replicas: 2,
      config: { keyRateLimit: { max: 100_000, timeWindowMs: 60_000 } },
    });
    await waitForGarbageCollector(harness);
  }, 180_000);
  afterAll(async () => {
    expect(findLeaks(harness)).toEqual([]);
    await harness.close();
  });

  describe.each([
    { backends: 'one backend', replicas: 1 },
    { backends: 'two backends', replicas: 2 },
  ])('through $backends', ({ backends, replicas }) => {
    const rounds = (
      scenario: string,
      round: (random: Random, checks: RoundChecks) => Promise<void>,
    ) =>
      repeatRounds(
        { seed: SEED, rounds: ROUNDS, parallel: PARALLEL, scenario: `${scenario}, ${backends}` },
        round,
      );

    /** A request after a random delay, to a replica the picker chooses. */
    const racing = async (
      random: Random,
      replica: () => number,
      call: Parameters<Harness['call']>[0],
    ): Promise<CallResult> => {
      const target = replica();
      await random.jitter(JITTER_MS);
      return harness.call({ ...call, replica: target });
    };

    const deploy = async (namespace: string, body: Record<string, unknown>, replica = 0) => {
      const response = await harness.call({
        method: 'POST',
        url: deploymentsPath(namespace),
        body,
        replica,
      });
      expect(response.status, response.text).toBe(201);
      return deployResponseSchema.parse(response.body);
    };

    it(
      'ten first deploys at once into a project with no key all succeed',
      async () => {
        await rounds('ten first deploys', async (random, checks) => {
          const ns = await createProject(harness, { prefix: 'race-first' });
          const replica = replicaPicker(random, replicas);
          const names = Array.from({ length: 10 }, (_, i) => `first-${i}`);
          const responses = await Promise.all(
            random.shuffle(names).map((name) =>
              racing(random, replica, {
                method: 'POST',
                url: deploymentsPath(ns),
                body: deployBody({ name, storage: { mode: 'new', size: '10Gi' } }),
              }),
            ),
          );
          const state = await settle(harness, ns);
          checks.settled(state, 'end state');
          expect(state.runtimes.map((r) => r.metadata.name).sort(), 'end state').toEqual(names);
          const failed = responses.filter((r) => r.status !== 201);
          expect(failed.map((r) => `${r.status} ${r.text}`).join('; '), 'answers').toBe('');
          for (const response of responses) {
            expect(deployResponseSchema.parse(response.body).keyInUse, 'answers').toBe('request');
          }
          expect(storedKeyOf(state.secrets.get(NIM_SECRET_NAME)), 'end state').toBe(GOOD_KEY);
        });
      },
      SCENARIO_TIMEOUT_MS,
    );

    it(
      'deleting the last deployment while one deploys with the stored key, in both orders and overlapped',
      async () => {
        await rounds('delete last, deploy with stored key', async (random, checks) => {
          const ns = await createProject(harness, { prefix: 'race-last' });
          const replica = replicaPicker(random, replicas);
          await deploy(ns, deployBody({ name: 'last' }), replica());
          const remove = () =>
            racing(random, replica, { method: 'DELETE', url: deploymentPath(ns, 'last') });
          const reuse = () =>
            racing(random, replica, {
              method: 'POST',
              url: deploymentsPath(ns),
              body: deployBody({
                name: 'next',
                apiKey: undefined,
                useExistingKey: true,
                storage: { mode: 'new', size: '10Gi' },
              }),
            });
          const order = random.pick(['delete first', 'deploy first', 'overlapped'] as const);
          let deleted: CallResult;
          let deployed: CallResult;
          if (order === 'delete first') {
            deleted = await remove();
            deployed = await reuse();
          } else if (order === 'deploy first') {
            deployed = await reuse();
            deleted = await remove();
          } else {
            [deleted, deployed] = await Promise.all([remove(), reuse()]);
          }
          const context = order;
          expect(deleted.status, `${context}: ${deleted.text}`).toBe(200);
          // Once the collector took the key, "use the stored key" has none to use: a 400 naming
          // the field, never a deployment without its secrets.
          const refused =
            deployed.status === 400 &&
            JSON.stringify(deployed.body).includes('"field":"useExistingKey"');
          expect(deployed.status === 201 || refused, `${context}: ${deployed.text}`).toBe(true);
          if (order === 'deploy first') expect(deployed.status, context).toBe(201);

          const state = await settle(harness, ns);
          checks.settled(state, context);
          expect(
            state.runtimes.map((r) => r.metadata.name),
            context,
          ).toEqual(deployed.status === 201 ? ['next'] : []);
          if (deployed.status === 201) {
            expect(storedKeyOf(state.secrets.get(NIM_SECRET_NAME)), context).toBe(GOOD_KEY);
          }
        });
      },
      SCENARIO_TIMEOUT_MS,
    );

    it(
      'five deploys of one name: one wins, the others get a 409 naming the deployment',
      async () => {
        await rounds('five deploys of one name', async (random, checks) => {
          const ns = await createProject(harness, { prefix: 'race-name' });
          const replica = replicaPicker(random, replicas);
          const responses = await Promise.all(
            Array.from({ length: 5 }, () =>
              racing(random, replica, {
                method: 'POST',
                url: deploymentsPath(ns),
                body: deployBody({ name: 'same', storage: { mode: 'new', size: '10Gi' } }),
              }),
            ),
          );
          const state = await settle(harness, ns);
          checks.settled(state, 'end state');
          expect(
            state.runtimes.map((r) => r.metadata.name),
            'end state',
          ).toEqual(['same']);
          expect(
            state.inferenceServices.map((r) => r.metadata.name),
            'end state',
          ).toEqual(['same']);
          expect([...state.pvcs.keys()], 'end state').toEqual(['nim-pvc-same']);
          const statuses = responses.map((r) => r.status).sort();
          expect(statuses, 'answers').toEqual([201, 409, 409, 409, 409]);
          for (const loser of responses.filter((r) => r.status === 409)) {
            expect(loser.body, loser.text).toMatchObject({
              code: 'already-exists',
              field: 'name',
              message: expect.stringContaining('A deployment named "same" already exists'),
            });
          }
        });
      },
      SCENARIO_TIMEOUT_MS,
    );

    it(
      'a deploy and a key rotation at once: every deployment ends on one key, and the answers say which',
      async () => {
        const keys = [GOOD_KEY, OTHER_GOOD_KEY, THIRD_GOOD_KEY];
        await rounds('deploy and rotate', async (random, checks) => {
          const ns = await createProject(harness, { prefix: 'race-rotate' });
          const replica = replicaPicker(random, replicas);
          await deploy(ns, deployBody({ name: 'running' }), replica());
          const rotateTo = random.pick(keys);
          const variant = random.pick(['stored key', 'own key, keep stored', 'own key, replace']);
          const ownKey = random.pick(keys);
          const key =
            variant === 'stored key'
              ? { apiKey: undefined, useExistingKey: true }
              : { apiKey: ownKey, replaceStoredKey: variant === 'own key, replace' };
          const context = `rotate to ${keys.indexOf(rotateTo)}, deploy with ${variant} ${keys.indexOf(ownKey)}`;
          const [deployed, rotated] = await Promise.all([
            racing(random, replica, {
              method: 'POST',
              url: deploymentsPath(ns),
              body: deployBody({ name: 'new', storage: { mode: 'new', size: '10Gi' }, ...key }),
            }),
            racing(random, replica, {
              method: 'PUT',
              url: apiKeyPath(ns),
              body: { apiKey: rotateTo },
            }),
          ]);
          expect(deployed.status, `${context}: ${deployed.text}`).toBe(201);
          expect(rotated.status, `${context}: ${rotated.text}`).toBe(200);
          const deployAnswer = deployResponseSchema.parse(deployed.body);
          const rotateAnswer = rotateKeyResponseSchema.parse(rotated.body);

          // One key in both secrets and in every deployment's pods (the settled check).
          const state = await settle(harness, ns);
          checks.settled(state, context);
          expect(state.runtimes.map((r) => r.metadata.name).sort(), context).toEqual([
            'new',
            'running',
          ]);
          const finalKey = storedKeyOf(state.secrets.get(NIM_SECRET_NAME));
          expect(pullKeyOf(state.secrets.get(NIM_PULL_SECRET_NAME)), context).toBe(finalKey);

          // Which key won, and the answers agree: only a deploy allowed to replace may write.
          if (variant !== 'own key, replace') {
            expect(finalKey, context).toBe(rotateTo);
            if (variant === 'stored key') expect(deployAnswer.keyInUse, context).toBe('stored');
          } else {
            expect([rotateTo, ownKey], context).toContain(finalKey);
            if (finalKey !== rotateTo) expect(deployAnswer.keyInUse, context).toBe('request');
            if (finalKey !== ownKey) expect(rotateAnswer.changed, context).toBe(true);
          }
          if (deployAnswer.keyInUse === 'request') {
            expect([GOOD_KEY, rotateTo, ownKey], context).toContain(ownKey);
          }
        });
      },
      SCENARIO_TIMEOUT_MS,
    );

    it(
      "a reused cache PVC goes with the last deployment that uses it, in either order; a user's PVC never",
      async () => {
        await rounds('reused cache PVC', async (random, checks) => {
          const ns = await createProject(harness, { prefix: 'race-pvc' });
          const replica = replicaPicker(random, replicas);
          const userPvc = await harness.core.createNamespacedPersistentVolumeClaim({
            namespace: ns,
            body: {
              metadata: { name: 'my-models' },
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
            },
          });
          const userPvcs = new Map([['my-models', userPvc.metadata?.uid ?? '']]);
          await deploy(ns, deployBody({ name: 'owner' }), replica());
          const existing = (claimName: string, subPath: string) => ({
            apiKey: undefined,
            useExistingKey: true,
            storage: { mode: 'existing', claimName, subPath },
          });
          await Promise.all([
            deploy(
              ns,
              deployBody({ name: 'sharer', ...existing('nim-pvc-owner', 's') }),
              replica(),
            ),
            deploy(ns, deployBody({ name: 'mine', ...existing('my-models', 'm') }), replica()),
          ]);
          const shared = await settle(harness, ns);
          checks.settled(shared, 'shared', userPvcs);

          const doomed = random.shuffle([
            'owner',
            'sharer',
            ...(random.chance(0.5) ? ['mine'] : []),
          ]);
          const overlapped = random.chance(0.5);
          const context = `delete ${doomed.join(', ')}${overlapped ? ' at once' : ' in turn'}`;
          const remove = async (name: string) => {
            const response = await racing(random, replica, {
              method: 'DELETE',
              url: deploymentPath(ns, name),
            });
            expect(response.status, `${context}: ${response.text}`).toBe(200);
          };
          if (overlapped) {
            await Promise.all(doomed.map(remove));
          } else {
            for (const name of doomed) {
              await remove(name);
              checks.settled(await settle(harness, ns), `${context}, after ${name}`, userPvcs);
            }
          }
          const state = await settle(harness, ns);
          checks.settled(state, context, userPvcs);
          expect(state.pvcs.has('nim-pvc-owner'), context).toBe(false);
          expect(state.pvcs.get('my-models')?.metadata?.ownerReferences, context).toBeUndefined();
        });
      },
      SCENARIO_TIMEOUT_MS,
    );
  });
});
