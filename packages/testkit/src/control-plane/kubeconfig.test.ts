import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildKubeconfig, kubeConfigFromYaml } from './kubeconfig.js';

describe('buildKubeconfig', () => {
  it('writes a token user that client-node loads', () => {
    const yaml = buildKubeconfig({
      server: 'https://127.0.0.1:6443',
      caPem: 'CA',
      userName: 'alice',
      credentials: { token: 'secret' },
      namespace: 'ns1',
    });
    const kc = kubeConfigFromYaml(yaml);
    expect(kc.getCurrentContext()).toBe('alice@odh-nim-test');
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'https://127.0.0.1:6443',
      caData: 'Q0E=',
    });
    expect(kc.getCurrentUser()).toMatchObject({ name: 'alice', token: 'secret' });
    expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe('ns1');
  });

  it('writes a client-certificate user as base64 data', () => {
    const yaml = buildKubeconfig({
      server: 'https://127.0.0.1:1',
      caPem: 'CA',
      userName: 'bob',
      credentials: { clientCertificatePem: 'CERT', clientKeyPem: 'KEY' },
      clusterName: 'other',
    });
    const doc = parse(yaml) as {
      users: [{ user: Record<string, string> }];
      'current-context': string;
    };
    expect(doc.users[0].user).toEqual({
      'client-certificate-data': 'Q0VSVA==',
      'client-key-data': 'S0VZ',
    });
    expect(doc['current-context']).toBe('bob@other');
    expect(kubeConfigFromYaml(yaml).getCurrentUser()).toMatchObject({
      certData: 'Q0VSVA==',
      keyData: 'S0VZ',
    });
  });
});
