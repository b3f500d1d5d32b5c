import { describe, expect, it } from 'vitest';

import type { KubeClients } from './clients.js';
import { getApplicationsNamespace } from './applications-namespace.js';

function mockClients(options: { dsci?: unknown; namespaces?: unknown }): KubeClients {
  const answer = (value: unknown) =>
    value instanceof Error ? Promise.reject(value) : Promise.resolve(value);
  return {
    custom: { listClusterCustomObject: () => answer(options.dsci ?? { items: [] }) },
    core: { listNamespace: () => answer(options.namespaces ?? { items: [] }) },
  } as unknown as KubeClients;
}

describe('getApplicationsNamespace', () => {
  it('prefers the explicit value', async () => {
    expect(await getApplicationsNamespace(mockClients({}), 'mine')).toEqual({
      namespace: 'mine',
      source: 'explicit',
    });
  });

  it('then the DSCInitialization, then a labelled namespace, then the default', async () => {
    const labelled = { items: [{ metadata: { name: 'labelled-ns' } }] };
    expect(
      await getApplicationsNamespace(
        mockClients({
          dsci: { items: [{ spec: { applicationsNamespace: 'redhat-ods-applications' } }] },
          namespaces: labelled,
        }),
        undefined,
      ),
    ).toEqual({ namespace: 'redhat-ods-applications', source: 'dsci' });
    expect(
      await getApplicationsNamespace(
        mockClients({ dsci: new Error('forbidden'), namespaces: labelled }),
        undefined,
      ),
    ).toEqual({ namespace: 'labelled-ns', source: 'label' });
    expect(
      await getApplicationsNamespace(
        mockClients({ dsci: new Error('404'), namespaces: new Error('403') }),
        undefined,
      ),
    ).toEqual({ namespace: 'opendatahub', source: 'default' });
  });
});
