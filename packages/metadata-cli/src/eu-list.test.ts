import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { referenceEuRestrictedPath } from '@odh-nim/testkit';

import { MetadataCliError } from './errors.js';
import { buildEuListEntry, parseEuList, serializeEuList } from './eu-list.js';

describe('parseEuList', () => {
  it('reads the reference list', async () => {
    const list = parseEuList(await readFile(referenceEuRestrictedPath, 'utf8'), 'ref');
    expect(list.length).toBeGreaterThan(0);
    for (const entry of list) expect(entry.resourceId.endsWith(`/${entry.name}`)).toBe(true);
  });

  it.each([
    ['not JSON', '{'],
    ['not an array', '{}'],
    ['missing fields', '[{"name":"x"}]'],
    ['unknown fields', '[{"name":"x","resourceId":"nim/x","org":"nim","extra":1}]'],
    ['inconsistent ids', '[{"name":"x","resourceId":"nim/meta/y","org":"nim","team":"meta"}]'],
  ])('refuses %s', (_label, text) => {
    expect(() => parseEuList(text, 'list.json')).toThrow(MetadataCliError);
  });
});

describe('serializeEuList', () => {
  it('sorts by resource id, dedupes and fixes the field order', () => {
    const b = buildEuListEntry('nim/meta/b')!;
    const a = buildEuListEntry('nim/a')!;
    expect(serializeEuList([b, a, b])).toBe(
      '[\n  {\n    "name": "a",\n    "resourceId": "nim/a",\n    "org": "nim"\n  },\n' +
        '  {\n    "name": "b",\n    "resourceId": "nim/meta/b",\n    "org": "nim",\n' +
        '    "team": "meta"\n  }\n]\n',
    );
  });
});
