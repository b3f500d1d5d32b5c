import { describe, expect, it } from 'vitest';

import { mockModelEntry } from './test-helpers.js';
import {
  buildImageSetConfiguration,
  buildImageTagMirrorSet,
  parseKserveAgentImage,
  selectMirrorImages,
} from './mirror-images.js';

const llama = mockModelEntry({
  name: 'llama-3.1-8b-instruct',
  namespace: 'nim/meta',
  tags: ['1.0.0', 'latest', '1.3.3'],
  latestTag: 'latest',
});
const mistral = mockModelEntry({
  name: 'mistral-7b-instruct',
  namespace: 'nim/mistralai',
  tags: ['1'],
  latestTag: '1',
});

describe('selectMirrorImages', () => {
  it('takes every model, by name, with its latest tag', () => {
    expect(selectMirrorImages({ models: [mistral, llama], tags: 'latest' })).toEqual({
      models: [llama, mistral],
      images: [
        'nvcr.io/nim/meta/llama-3.1-8b-instruct:latest',
        'nvcr.io/nim/mistralai/mistral-7b-instruct:1',
      ],
      unmatched: [],
    });
  });

  it('takes every tag, newest first', () => {
    expect(selectMirrorImages({ models: [llama], tags: 'all' }).images).toEqual([
      'nvcr.io/nim/meta/llama-3.1-8b-instruct:latest',
      'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.3.3',
      'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.0.0',
    ]);
  });

  it('filters by exact name or * glob, and reports patterns that match nothing', () => {
    const models = [llama, mistral];
    expect(selectMirrorImages({ models, names: ['llama-*'], tags: 'latest' }).models).toEqual([
      llama,
    ]);
    expect(
      selectMirrorImages({ models, names: ['mistral-7b-instruct', 'gpt-*'], tags: 'latest' }),
    ).toMatchObject({ models: [mistral], unmatched: ['gpt-*'] });
    // A dot is literal, not any character.
    const lookalike = mockModelEntry({ name: 'llama-3x1-8b', namespace: 'nim/meta' });
    expect(
      selectMirrorImages({ models: [lookalike], names: ['llama-3.1-*'], tags: 'latest' }).models,
    ).toEqual([]);
  });
});

describe('buildImageSetConfiguration', () => {
  it('lists the images under mirror.additionalImages (oc-mirror v2)', () => {
    expect(buildImageSetConfiguration(['a/b:1'])).toEqual({
      kind: 'ImageSetConfiguration',
      apiVersion: 'mirror.openshift.io/v2alpha1',
      mirror: { additionalImages: [{ name: 'a/b:1' }] },
    });
  });
});

describe('buildImageTagMirrorSet', () => {
  it('sends nvcr.io/nim to the mirror, never to the source', () => {
    expect(buildImageTagMirrorSet('https://mirror.example.com:5000/nvidia/')).toMatchObject({
      kind: 'ImageTagMirrorSet',
      spec: {
        imageTagMirrors: [
          {
            source: 'nvcr.io/nim',
            mirrors: ['mirror.example.com:5000/nvidia/nim'],
            mirrorSourcePolicy: 'NeverContactSource',
          },
        ],
      },
    });
  });
});

describe('parseKserveAgentImage', () => {
  it("reads the agent image of KServe's inferenceservice-config", () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: inferenceservice-config}',
      'data:',
      '  agent: |-',
      '    {"image": "quay.io/opendatahub/kserve-agent:v0.15", "memoryRequest": "100Mi"}',
    ].join('\n');
    expect(parseKserveAgentImage(text)).toEqual({
      image: 'quay.io/opendatahub/kserve-agent:v0.15',
    });
  });

  it('says why anything else is not one', () => {
    expect(parseKserveAgentImage('data: {}')).toMatchObject({ error: /agent/ });
    expect(parseKserveAgentImage('data: {agent: "{not json"}')).toEqual({
      error: 'data.agent is not JSON',
    });
    expect(parseKserveAgentImage('data: {agent: "{}"}')).toMatchObject({ error: /image/ });
    expect(parseKserveAgentImage('a: [')).toMatchObject({ error: /not YAML/ });
  });
});
