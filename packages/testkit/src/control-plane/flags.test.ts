import { describe, expect, it } from 'vitest';
import {
  etcdFlags,
  kubeApiServerFlags,
  kubeControllerManagerFlags,
  kubeSchedulerFlags,
  renderFlags,
} from './flags.js';

describe('renderFlags', () => {
  it('applies overrides and removes nulls', () => {
    expect(renderFlags({ a: '1', b: '2' }, { b: null, c: '3' })).toEqual(['--a=1', '--c=3']);
  });
});

describe('etcdFlags', () => {
  it('listens on loopback only', () => {
    const args = renderFlags(etcdFlags({ dataDir: '/d', clientPort: 1, peerPort: 2 }));
    expect(args).toContain('--listen-client-urls=http://127.0.0.1:1');
    expect(args).toContain('--initial-cluster=default=http://127.0.0.1:2');
    expect(args.filter((a) => a.includes('://')).every((a) => a.includes('127.0.0.1'))).toBe(true);
  });
});

describe('kubeApiServerFlags', () => {
  const flags = kubeApiServerFlags({
    etcdUrl: 'http://127.0.0.1:1',
    securePort: 2,
    certDir: '/c',
    tlsCertFile: '/c/tls.crt',
    tlsKeyFile: '/c/tls.key',
    clientCaFile: '/c/ca.crt',
    tokenAuthFile: '/c/tokens.csv',
    serviceAccountKeyFile: '/c/sa.key',
  });

  it('binds to 127.0.0.1 with RBAC', () => {
    expect(flags).toMatchObject({
      'bind-address': '127.0.0.1',
      'advertise-address': '127.0.0.1',
      'secure-port': '2',
      'authorization-mode': 'Node,RBAC',
      'token-auth-file': '/c/tokens.csv',
      'client-ca-file': '/c/ca.crt',
    });
  });

  it('keeps the ServiceAccount admission plugin off unless controllers run', () => {
    expect(flags['disable-admission-plugins']).toBe('ServiceAccount');
    const withControllers = kubeApiServerFlags({
      ...{ etcdUrl: '', securePort: 2, certDir: '', tlsCertFile: '', tlsKeyFile: '' },
      ...{ clientCaFile: '', tokenAuthFile: '', serviceAccountKeyFile: '' },
      withControllers: true,
    });
    expect(withControllers).not.toHaveProperty('disable-admission-plugins');
  });

  it('can be overridden per flag', () => {
    expect(renderFlags(flags, { 'authorization-mode': 'AlwaysAllow' })).toContain(
      '--authorization-mode=AlwaysAllow',
    );
  });
});

describe('kubeControllerManagerFlags', () => {
  const flags = kubeControllerManagerFlags({
    kubeconfigFile: '/k',
    securePort: 3,
    serving: { certFile: '/c.crt', keyFile: '/c.key' },
    serviceAccountKeyFile: '/sa.key',
    rootCaFile: '/ca.crt',
  });

  it('runs every controller once, on loopback, signing tokens with the apiserver key', () => {
    expect(flags).toMatchObject({
      controllers: '*',
      'leader-elect': 'false',
      'bind-address': '127.0.0.1',
      'secure-port': '3',
      'use-service-account-credentials': 'false',
      'service-account-private-key-file': '/sa.key',
      'root-ca-file': '/ca.crt',
      'tls-cert-file': '/c.crt',
    });
  });
});

describe('kubeSchedulerFlags', () => {
  it('runs one scheduler on loopback', () => {
    expect(
      kubeSchedulerFlags({
        kubeconfigFile: '/k',
        securePort: 4,
        serving: { certFile: '/a', keyFile: '/b' },
      }),
    ).toMatchObject({ 'leader-elect': 'false', 'bind-address': '127.0.0.1', 'secure-port': '4' });
  });
});
