import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

import { ContractError } from './errors.js';
import {
  buildModelsConfigMap,
  configMapDataBytes,
  getCatalogDigest,
  MAX_CONFIGMAP_DATA_BYTES,
  parseModelsConfigMap,
  serializeModelsConfigMap,
} from './models-configmap.js';
import { MODELS_CONFIGMAP_NAME } from './names.js';
import { mockModelEntry } from './testing.js';

const llama = mockModelEntry();
const mistral = mockModelEntry({
  name: 'mistral-7b-instruct',
  displayName: 'Mistral 7B',
  namespace: 'nim/mistralai',
  euRestricted: true,
});

function configMapYaml(data: Record<string, string>): string {
  return YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', data });
}

describe('parseModelsConfigMap', () => {
  it('loads valid entries sorted by name', () => {
    const yaml = configMapYaml({
      [mistral.name]: JSON.stringify(mistral),
      [llama.name]: JSON.stringify(llama),
    });
    const { models, problems } = parseModelsConfigMap(yaml);
    expect(problems).toEqual([]);
    expect(models).toEqual([llama, mistral]);
  });

  it('defaults euRestricted to false for catalogs generated before EU detection', () => {
    const { euRestricted: _omit, ...legacy } = llama;
    const { models } = parseModelsConfigMap({ data: { [llama.name]: JSON.stringify(legacy) } });
    expect(models[0]?.euRestricted).toBe(false);
  });

  it('skips each malformed entry with its key and reason, and loads the rest', () => {
    const { models, problems } = parseModelsConfigMap({
      data: {
        [llama.name]: JSON.stringify(llama),
        broken: '{ not json',
        'no-tags': JSON.stringify({ ...llama, name: 'no-tags', tags: [] }),
        'bad-date': JSON.stringify({ ...llama, name: 'bad-date', updatedDate: 'yesterday' }),
        renamed: JSON.stringify(mistral),
      },
    });
    expect(models.map((m) => m.name)).toEqual([llama.name]);
    expect(problems).toEqual([
      { key: 'broken', reason: expect.stringContaining('not valid JSON') },
      { key: 'no-tags', reason: 'tags: must list at least one tag' },
      { key: 'bad-date', reason: expect.stringContaining('updatedDate') },
      { key: 'renamed', reason: 'key does not match the model name "mistral-7b-instruct"' },
    ]);
  });

  it('reports duplicate keys in YAML text', () => {
    const entry = JSON.stringify(llama);
    const yaml = `data:\n  ${llama.name}: '${entry}'\n  ${llama.name}: '${entry}'\n`;
    expect(parseModelsConfigMap(yaml).problems).toEqual([
      { key: llama.name, reason: 'duplicate key: only the last one loads' },
    ]);
  });

  it('throws in strict mode, listing every problem', () => {
    const input = { data: { a: '{', b: '[]' } };
    expect(() => parseModelsConfigMap(input, { strict: true })).toThrowError(
      /2 invalid catalog entries:\n {2}a: .*\n {2}b: /,
    );
  });

  it('rejects input that is not a ConfigMap or not YAML', () => {
    expect(() => parseModelsConfigMap('data: [')).toThrowError(ContractError);
    expect(() => parseModelsConfigMap({ data: 'x' })).toThrowError(/Not a ConfigMap/);
  });
});

describe('buildModelsConfigMap', () => {
  it('builds the immutable, labelled ConfigMap with sorted keys and a digest', async () => {
    const cm = await buildModelsConfigMap([mistral, llama], { namespace: 'opendatahub' });
    expect(cm.metadata.name).toBe(MODELS_CONFIGMAP_NAME);
    expect(cm.metadata.namespace).toBe('opendatahub');
    expect(cm.metadata.labels).toEqual({ 'opendatahub.io/managed': 'true' });
    expect(cm.immutable).toBe(true);
    expect(Object.keys(cm.data)).toEqual([llama.name, mistral.name]);
    expect(getCatalogDigest(cm)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('is byte-identical for the same models in any order, and round-trips', async () => {
    const a = serializeModelsConfigMap(await buildModelsConfigMap([llama, mistral]));
    const b = serializeModelsConfigMap(await buildModelsConfigMap([mistral, llama]));
    expect(a).toBe(b);
    expect(parseModelsConfigMap(a, { strict: true }).models).toEqual([llama, mistral]);
  });

  it('changes the digest when any field changes', async () => {
    const before = await buildModelsConfigMap([llama]);
    const after = await buildModelsConfigMap([{ ...llama, tags: [...llama.tags, '1.8.5'] }]);
    expect(getCatalogDigest(before)).not.toBe(getCatalogDigest(after));
  });

  it('refuses a catalog over 1 MiB and says how large it is', async () => {
    const big = mockModelEntry({ shortDescription: 'x'.repeat(600 * 1024) });
    const models = [big, { ...big, name: 'second' }];
    await expect(buildModelsConfigMap(models)).rejects.toThrowError(
      /The catalog is 1\.\d+ MiB for 2 models, over the ConfigMap limit of 1\.00 MiB/,
    );
  });

  it('counts keys and values as the apiserver does', () => {
    expect(configMapDataBytes({ ab: 'cde', é: 'x' })).toBe(2 + 3 + 2 + 1);
    expect(MAX_CONFIGMAP_DATA_BYTES).toBe(1048576);
  });
});
