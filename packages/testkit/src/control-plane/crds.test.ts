import { readFile, readdir } from 'node:fs/promises';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CRD_NAMES, findUpstreamCrds } from './crd-sets.js';
import { TEST_CRDS_DIR, parseCrdYaml, readCrds, testCrdPath } from './crds.js';

describe('parseCrdYaml', () => {
  it('keeps CRDs and skips other kinds', () => {
    const crds = parseCrdYaml(
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}',
        'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a.b}\nspec: {group: b}',
      ].join('\n---\n'),
    );
    expect(crds.map((c) => c.metadata?.name)).toEqual(['a.b']);
  });

  it('rejects a v1beta1 CRD and bad YAML', () => {
    expect(() =>
      parseCrdYaml(
        'apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\nmetadata: {}\nspec: {}',
      ),
    ).toThrow(expect.objectContaining({ code: 'invalid-crd' }));
    expect(() => parseCrdYaml('a: [')).toThrow(expect.objectContaining({ code: 'invalid-crd' }));
  });
});

describe('test CRDs', () => {
  it('has one CRD per file, named after the file', async () => {
    const files = (await readdir(TEST_CRDS_DIR)).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(
      Object.values(CRD_NAMES)
        .map((name) => `${name}.yaml`)
        .sort(),
    );
    for (const file of files) {
      const name = file.replace(/\.yaml$/, '');
      const crds = await readCrds([testCrdPath(name)]);
      expect(crds.map((c) => c.metadata?.name)).toEqual([name]);
      expect(`${crds[0]?.spec.names.plural}.${crds[0]?.spec.group}`).toBe(name);
    }
  });

  it('keeps Template objects whole (embedded resources with unknown fields)', async () => {
    const [template] = await readCrds([testCrdPath('templates.template.openshift.io')]);
    const items =
      template?.spec.versions[0]?.schema?.openAPIV3Schema?.properties?.['objects']?.items;
    expect(items).toMatchObject({
      'x-kubernetes-preserve-unknown-fields': true,
      'x-kubernetes-embedded-resource': true,
    });
  });
});

const upstream = findUpstreamCrds();
const crdFiles: [label: string, file: string][] = [
  ...Object.values(CRD_NAMES).map((name): [string, string] => [
    `project ${name}`,
    testCrdPath(name),
  ]),
  ...(upstream.missing.length === 0
    ? Object.entries(upstream.paths).map(([name, file]): [string, string] => [
        `upstream ${name}`,
        file,
      ])
    : []),
];

describe('parseCrdYaml with the typed client', () => {
  // NB: installCRDs sends the model objects through client-node's serializer; a schema keyword
  // the model lacks (x-kubernetes-*, default, enum, ...) would be dropped without a word.
  it.each(crdFiles)('sends the %s CRD exactly as its file has it', async (_label, file) => {
    const text = await readFile(file, 'utf8');
    const plain = parseAllDocuments(text).map((doc) => JSON.parse(JSON.stringify(doc.toJS())));
    const sent = parseCrdYaml(text, file).map((crd) =>
      JSON.parse(JSON.stringify(ObjectSerializer.serialize(crd, 'V1CustomResourceDefinition', ''))),
    );
    expect(sent).toEqual(plain);
  });
});
