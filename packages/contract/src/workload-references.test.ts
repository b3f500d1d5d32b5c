import { describe, expect, it } from 'vitest';

import { collectReferences } from './workload-references.js';

function sorted(set: Set<string>): string[] {
  return [...set].sort();
}

describe('collectReferences', () => {
  it('finds env secretKeyRef and configMapKeyRef in containers and init containers', () => {
    const refs = collectReferences({
      spec: {
        containers: [
          {
            name: 'c',
            env: [
              { name: 'A', valueFrom: { secretKeyRef: { name: 'key-secret', key: 'k' } } },
              { name: 'B', valueFrom: { configMapKeyRef: { name: 'settings', key: 'k' } } },
              { name: 'C', value: 'plain' },
            ],
          },
        ],
        initContainers: [
          { name: 'i', env: [{ name: 'D', valueFrom: { secretKeyRef: { name: 'init-secret' } } }] },
        ],
      },
    });
    expect(sorted(refs.secrets)).toEqual(['init-secret', 'key-secret']);
    expect(sorted(refs.configMaps)).toEqual(['settings']);
  });

  it('finds envFrom secretRef and configMapRef', () => {
    const refs = collectReferences({
      containers: [{ envFrom: [{ secretRef: { name: 's' } }, { configMapRef: { name: 'cm' } }] }],
    });
    expect(sorted(refs.secrets)).toEqual(['s']);
    expect(sorted(refs.configMaps)).toEqual(['cm']);
  });

  it('finds imagePullSecrets', () => {
    const refs = collectReferences({ imagePullSecrets: [{ name: 'ngc-secret' }, { name: 'b' }] });
    expect(sorted(refs.secrets)).toEqual(['b', 'ngc-secret']);
  });

  it('finds secret, configMap, projected and PVC volumes', () => {
    const refs = collectReferences({
      volumes: [
        { name: 'a', secret: { secretName: 'vol-secret' } },
        { name: 'b', configMap: { name: 'vol-cm' } },
        {
          name: 'c',
          projected: {
            sources: [{ secret: { name: 'proj-secret' } }, { configMap: { name: 'proj-cm' } }],
          },
        },
        { name: 'd', persistentVolumeClaim: { claimName: 'nim-pvc-llama' } },
        { name: 'e', csi: { driver: 'x', nodePublishSecretRef: { name: 'csi-secret' } } },
        { name: 'f', azureFile: { secretName: 'azure-secret', shareName: 's' } },
      ],
    });
    expect(sorted(refs.secrets)).toEqual([
      'azure-secret',
      'csi-secret',
      'proj-secret',
      'vol-secret',
    ]);
    expect(sorted(refs.configMaps)).toEqual(['proj-cm', 'vol-cm']);
    expect(sorted(refs.persistentVolumeClaims)).toEqual(['nim-pvc-llama']);
  });

  it("finds references in an InferenceService's predictor, model and transformer", () => {
    const refs = collectReferences({
      spec: {
        predictor: {
          imagePullSecrets: [{ name: 'pull' }],
          model: {
            env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 'nvidia-nim-secrets' } } }],
          },
          volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'nim-pvc-x' } }],
        },
        transformer: { containers: [{ envFrom: [{ secretRef: { name: 'tr' } }] }] },
      },
    });
    expect(sorted(refs.secrets)).toEqual(['nvidia-nim-secrets', 'pull', 'tr']);
    expect(sorted(refs.persistentVolumeClaims)).toEqual(['nim-pvc-x']);
  });

  it('ignores names that are not references and tolerates odd shapes', () => {
    const refs = collectReferences({
      metadata: { name: 'not-a-ref', annotations: { secret: 'x' } },
      spec: { containers: [{ name: 'c', env: null, envFrom: [{ secretRef: null }] }], secret: 3 },
    });
    expect(refs.secrets.size).toBe(0);
    expect(refs.configMaps.size).toBe(0);
    expect(refs.persistentVolumeClaims.size).toBe(0);
  });

  it('returns nothing for non-objects', () => {
    expect(collectReferences(undefined).secrets.size).toBe(0);
    expect(collectReferences('secret').secrets.size).toBe(0);
  });
});
