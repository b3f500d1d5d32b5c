import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { encodeBase64 } from '@odh-nim/contract';
import { userToken } from '@odh-nim/testkit/vitest';

import { API_PATHS, apiKeyPath, deploymentPath, deploymentsPath } from '../src/api/types.js';
import {
  createProject,
  deployBody,
  findLeaks,
  GOOD_KEY,
  LEGACY_KEY,
  OTHER_GOOD_KEY,
  REJECTED_KEY,
  startHarness,
  type Harness,
} from './harness.js';

describe('secrets never reach a log line or a response', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('keeps every key and token out of the captured logs and bodies of a full session', async () => {
    const ns = await createProject(harness);
    // Every route that takes a key, with good, rejected and legacy keys, malformed bodies,
    // a failing NGC, and both ways of passing the token.
    for (const apiKey of [GOOD_KEY, REJECTED_KEY, LEGACY_KEY]) {
      await harness.call({ method: 'POST', url: API_PATHS.validateKey, body: { apiKey } });
      await harness.call({
        method: 'POST',
        url: deploymentsPath(ns),
        body: deployBody({ name: `key-${apiKey.length}`, apiKey }),
      });
    }
    await harness.call({
      method: 'POST',
      url: API_PATHS.validateKey,
      rawBody: `{"apiKey": "${GOOD_KEY}"`,
    });
    await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      rawBody: `{"name": "x", "apiKey": ${OTHER_GOOD_KEY}}`,
    });
    await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({ name: 'Bad Name', apiKey: GOOD_KEY }),
    });
    harness.ngc.setFaults([{ route: 'key-validation', fault: { type: 'status', status: 500 } }]);
    await harness.call({ method: 'PUT', url: apiKeyPath(ns), body: { apiKey: OTHER_GOOD_KEY } });
    harness.ngc.reset();
    await harness.call({
      method: 'PUT',
      url: apiKeyPath(ns),
      body: { apiKey: OTHER_GOOD_KEY },
      forwarded: true,
    });
    await harness.call({ url: deploymentsPath(ns) });
    await harness.call({ method: 'DELETE', url: deploymentPath(ns, `key-${GOOD_KEY.length}`) });

    // The capture works: requests and deploy events were logged.
    expect(harness.logs.length).toBeGreaterThan(20);
    const lines = harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((line) => line.msg === 'NIM deployment created')).toBe(true);
    expect(lines.some((line) => line.msg === 'NIM key rotated')).toBe(true);
    expect(lines.some((line) => line.msg === 'request completed')).toBe(true);

    expect(findLeaks(harness)).toEqual([]);
    const everything = [...harness.logs, ...harness.responses].join('\n');
    for (const key of [GOOD_KEY, OTHER_GOOD_KEY, REJECTED_KEY, LEGACY_KEY]) {
      expect(everything.includes(key)).toBe(false);
      expect(everything.includes(encodeBase64(key))).toBe(false);
    }
    expect(everything.includes(userToken('alice'))).toBe(false);
  });
});
