import YAML from 'yaml';
import { describe, expect, it } from 'vitest';

import {
  ANNOTATIONS,
  buildModelsConfigMap,
  computeCatalogDigest,
  serializeModelsConfigMap,
  type ModelsConfigMap,
} from '@odh-nim/contract';

import { formatValidation, validateCatalogText } from './catalog-validate.js';
import { mockModelEntry } from './test-helpers.js';

const models = [
  mockModelEntry({ name: 'model-a' }),
  mockModelEntry({ name: 'model-b', euRestricted: true }),
];

async function validConfigMap(): Promise<ModelsConfigMap> {
  return buildModelsConfigMap(models);
}

/** A catalog changed by `mutate`, with the digest recomputed unless `keepDigest`. */
async function mutated(
  mutate: (configMap: ModelsConfigMap) => void,
  options: { keepDigest?: boolean } = {},
): Promise<string> {
  const configMap = await validConfigMap();
  mutate(configMap);
  if (!options.keepDigest) {
    configMap.metadata.annotations[ANNOTATIONS.catalogDigest] = await computeCatalogDigest(
      configMap.data,
    );
  }
  return serializeModelsConfigMap(configMap);
}

async function problemsOf(text: string): Promise<string[]> {
  const report = await validateCatalogText(text);
  return report.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('validateCatalogText', () => {
  it('accepts what the builder writes', async () => {
    const report = await validateCatalogText(serializeModelsConfigMap(await validConfigMap()));
    expect(report).toMatchObject({ problems: [], warnings: [], entries: 2 });
    expect(report.bytes).toBeGreaterThan(0);
  });

  it('flags a stale digest', async () => {
    const text = await mutated(
      (cm) => (cm.data['model-a'] = cm.data['model-a']!.replace('A test', 'An edited')),
      { keepDigest: true },
    );
    const [problem] = await problemsOf(text);
    expect(problem).toMatch(/nim-catalog-digest: stale: says sha256:\w+ but the content hashes to/);
  });

  it('flags a missing digest, name, label and immutability', async () => {
    const text = await mutated(
      (cm) => {
        cm.metadata.name = 'other';
        cm.metadata.labels = {};
        (cm as { immutable: unknown }).immutable = false;
        cm.metadata.annotations = {};
      },
      { keepDigest: true },
    );
    const problems = await problemsOf(text);
    expect(problems).toEqual(
      expect.arrayContaining([
        'immutable: must be true, is false',
        'metadata.name: must be "nvidia-nim-models-data", is "other"',
        'metadata.labels.opendatahub.io/managed: must be "true", is missing',
        expect.stringMatching(/^metadata.annotations.opendatahub.io\/nim-catalog-digest: missing/),
      ]),
    );
  });

  it('flags a key that does not match the name', async () => {
    const text = await mutated((cm) => {
      cm.data['model-c'] = cm.data['model-a']!;
    });
    expect(await problemsOf(text)).toEqual([
      'data.model-c: key does not match the model name "model-a"',
    ]);
  });

  it('flags unknown fields, schema errors and a latestTag that is not a tag', async () => {
    const entry = { ...mockModelEntry({ name: 'model-a' }), extra: 1, latestTag: '9.9' };
    const text = await mutated((cm) => {
      cm.data['model-a'] = JSON.stringify(entry);
      cm.data['model-b'] = JSON.stringify({ ...mockModelEntry({ name: 'model-b' }), tags: [] });
    });
    const problems = await problemsOf(text);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^data.model-a: .*extra/),
        'data.model-b.tags: must list at least one tag',
      ]),
    );
    const fixed = text.replace(',"extra":1', '');
    expect(await problemsOf(fixed)).toContain(
      'data.model-a.latestTag: "9.9" is not one of the model\'s tags',
    );
  });

  it('flags invalid JSON and non-string values', async () => {
    const text = await mutated((cm) => (cm.data['model-a'] = '{not json'));
    expect((await problemsOf(text))[0]).toMatch(/^data.model-a: not valid JSON/);
  });

  it('flags duplicate keys', async () => {
    const text = serializeModelsConfigMap(await validConfigMap());
    const duplicated = text.replace(/\n {2}model-b: \|/, '\n  model-a: |');
    const problems = await problemsOf(duplicated);
    expect(problems).toContain('data.model-a: duplicate key: only the last one loads');
  });

  it('flags a catalog over 1 MiB and says how large', async () => {
    const long = 'x'.repeat(60_000);
    const many = Array.from({ length: 20 }, (_, i) =>
      mockModelEntry({ name: `model-${i}`, shortDescription: long }),
    );
    const text = await mutated((cm) => {
      cm.data = Object.fromEntries(many.map((m) => [m.name, JSON.stringify(m)]));
    });
    expect(await problemsOf(text)).toEqual([
      expect.stringMatching(
        /^data: is 1\.\d\d MiB \(\d+ bytes\), over the ConfigMap limit of 1\.00 MiB$/,
      ),
    ]);
  });

  it('reports invalid YAML and a non-ConfigMap', async () => {
    expect(await problemsOf('a: [1,\n')).not.toEqual([]);
    expect(await problemsOf('- 1\n')).toEqual(['(root): not a mapping: expected a ConfigMap']);
    expect(await problemsOf(YAML.stringify({ apiVersion: 'v1', kind: 'Secret' }))).toEqual(
      expect.arrayContaining([
        'kind: must be "ConfigMap", is "Secret"',
        'data: missing or not a mapping',
      ]),
    );
  });

  it('warns, once, about entries without euRestricted', async () => {
    const text = await mutated((cm) => {
      const { euRestricted: _, ...legacy } = mockModelEntry({ name: 'model-a' });
      cm.data['model-a'] = JSON.stringify(legacy);
    });
    const report = await validateCatalogText(text);
    expect(report.problems).toEqual([]);
    expect(report.warnings).toEqual([
      { path: 'data', message: '1 entry has no euRestricted field (read as false): model-a' },
    ]);
  });
});

describe('formatValidation', () => {
  it('lists every problem with its path', async () => {
    const report = await validateCatalogText(await mutated((cm) => (cm.metadata.name = 'x')));
    expect(formatValidation(report, 'f.yaml')).toBe(
      'f.yaml: invalid, 1 problem:\n  error: metadata.name: must be "nvidia-nim-models-data", is "x"\n',
    );
  });
});
