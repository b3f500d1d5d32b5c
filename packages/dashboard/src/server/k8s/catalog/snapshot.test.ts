import { describe, expect, it } from 'vitest';

import { buildModelsConfigMap } from '@odh-nim/contract';

import { modelsResponseSchema } from '../../../api/types.js';
import { mockModelEntry } from '../../test-support/mocks.js';
import { buildCatalogSnapshot, buildDisabledModelsBody } from './snapshot.js';

const source = { name: 'nvidia-nim-models-data', namespace: 'opendatahub', custom: false };

describe('buildCatalogSnapshot', () => {
  it('loads valid entries and reports malformed ones as warnings', async () => {
    const configMap = await buildModelsConfigMap([mockModelEntry(), mockModelEntry({ name: 'b' })]);
    configMap.data.broken = '{ not json';
    const snapshot = buildCatalogSnapshot(configMap, source, '7');
    expect(snapshot.state).toBe('ready');
    expect(snapshot.models.map((m) => m.name)).toEqual(['b', 'llama-3.1-8b-instruct']);
    expect(snapshot.warnings.map((w) => w.key)).toEqual(['broken']);
    expect(snapshot.byName.get('b')?.name).toBe('b');
    const body = modelsResponseSchema.parse(JSON.parse(snapshot.body.toString('utf8')));
    expect(body).toMatchObject({ state: 'ready', resourceVersion: '7' });
    expect(snapshot.etag).toMatch(/^"[\w-]+"$/);
  });

  it('says the catalog is not installed when the ConfigMap is missing', () => {
    const snapshot = buildCatalogSnapshot(undefined, source);
    expect(snapshot.state).toBe('catalog-not-installed');
    expect(snapshot.message).toContain('opendatahub/nvidia-nim-models-data');
  });

  it('says a ConfigMap that is not a catalog is invalid', () => {
    expect(buildCatalogSnapshot({ data: 'oops' }, source).state).toBe('invalid');
  });
});

describe('buildDisabledModelsBody', () => {
  it('is a disabled models response', () => {
    const { body } = buildDisabledModelsBody(source);
    expect(JSON.parse(body.toString('utf8'))).toMatchObject({ state: 'disabled', models: [] });
  });
});
