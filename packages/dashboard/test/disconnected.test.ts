// A disconnected cluster as the README's "Disconnected clusters" section sets it up: key
// collection off (in either spelling), images from a mirror (`--registry`), the global pull
// secret doing the pulling. A deploy then stores no key and its objects name no Secret at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  API,
  buildImageReference,
  collectReferences,
  NGC_API_KEY_ENV,
  NIM_PULL_SECRET_NAME,
  NIM_SECRET_NAME,
} from '@odh-nim/contract';
import { crdSetInfo } from '@odh-nim/testkit/vitest';

import {
  API_PATHS,
  configResponseSchema,
  deploymentsPath,
  deployResponseSchema,
} from '../src/api/types.js';
import {
  createProject,
  deployBody,
  findLeaks,
  listProjectObjects,
  startHarness,
  type Harness,
} from './harness.js';

const MIRROR = 'mirror.example.com:5000/nvidia';

// The KServe CRDs as upstream ships them (from ../shared): their schema decides what is stored.
const upstream = crdSetInfo().name === 'upstream';

describe.runIf(upstream).each([
  ['nimConfig.disableKeyCollection', { disableKeyCollection: true }],
  ['nimConfig.disconnected.disableKeyCollection', { disconnected: { disableKeyCollection: true } }],
])('a disconnected cluster, key collection off by %s, images from a mirror', (_, nimConfig) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      dashboardConfig: { nimConfig: { ...nimConfig, disableKeyValidation: true } },
      config: { registry: MIRROR },
    });
    await harness.app.nimCache.waitFor((cache) => !cache.settings.keyCollection);
  });
  afterAll(async () => {
    expect(findLeaks(harness)).toEqual([]);
    await harness.close();
  });

  it('tells the wizard to ask for no key and names the mirror', async () => {
    const config = configResponseSchema.parse((await harness.call({ url: API_PATHS.config })).body);
    expect(config).toMatchObject({ keyCollection: false, keyValidation: false, registry: MIRROR });
  });

  it('deploys with no key: no secret created, none referenced, the image from the mirror', async () => {
    const ns = await createProject(harness);
    const response = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({ apiKey: undefined }),
    });
    expect(response.status, response.text).toBe(201);
    const result = deployResponseSchema.parse(response.body);
    expect(result.keyValidation).toBe('not-collected');
    expect(result.objects.map((object) => object.kind)).not.toContain('Secret');
    expect(harness.ngc.requests).toEqual([]);

    const objects = await listProjectObjects(harness, ns);
    expect(objects.secrets).not.toContain(NIM_SECRET_NAME);
    expect(objects.secrets).not.toContain(NIM_PULL_SECRET_NAME);
    expect(objects.runtimes).toEqual(['llama-8b']);
    expect(objects.inferenceServices).toEqual(['llama-8b']);

    const target = { namespace: ns, name: 'llama-8b' };
    const runtime: unknown = await harness.custom.getNamespacedCustomObject({
      ...API.servingRuntime,
      ...target,
    });
    const inferenceService: unknown = await harness.custom.getNamespacedCustomObject({
      ...API.inferenceService,
      ...target,
    });
    // As stored by the apiserver: every path a pod could take a Secret from, walked.
    expect([...collectReferences(runtime).secrets]).toEqual([]);
    expect([...collectReferences(inferenceService).secrets]).toEqual([]);
    expect(JSON.stringify(runtime)).not.toContain(NGC_API_KEY_ENV);

    const model = { namespace: 'nim/meta', name: 'llama-3.1-8b-instruct' };
    const image = buildImageReference(model, '1.8.4', { registry: MIRROR });
    expect(image).toBe(`${MIRROR}/nim/meta/llama-3.1-8b-instruct:1.8.4`);
    expect(JSON.stringify(runtime)).toContain(`"image":"${image}"`);
  });
});
