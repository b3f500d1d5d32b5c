import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
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
    expect(files.length).toBe(7);
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
