import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CertificateAuthority } from './x509.js';

describe('CertificateAuthority.create', () => {
  it('makes a self-signed CA certificate', () => {
    const ca = CertificateAuthority.create('test-ca');
    const cert = new X509Certificate(ca.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe('CN=test-ca');
    expect(cert.issuer).toBe('CN=test-ca');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(ca.keyPem))).toBe(true);
  });
});

describe('CertificateAuthority.issue', () => {
  const ca = CertificateAuthority.create('issuer');
  const caCert = new X509Certificate(ca.certPem);

  it('issues a client certificate with the user as CN and groups as O', () => {
    const pair = CertificateAuthority.fromPem(ca).issue({
      subject: { commonName: 'alice', organizations: ['team-a', 'system:authenticated'] },
      usage: 'client',
    });
    const cert = new X509Certificate(pair.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.subject.split('\n')).toEqual(['O=team-a', 'O=system:authenticated', 'CN=alice']);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.checkPrivateKey(createPrivateKey(pair.keyPem))).toBe(true);
  });

  it('issues a server certificate for IPs and DNS names', () => {
    const pair = ca.issue({
      subject: { commonName: 'kube-apiserver' },
      usage: 'server',
      hosts: ['127.0.0.1', 'localhost'],
    });
    const cert = new X509Certificate(pair.certPem);
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.verify(caCert.publicKey)).toBe(true);
  });

  it('sets the validity window', () => {
    const cert = new X509Certificate(
      ca.issue({ subject: { commonName: 'x' }, usage: 'client', validDays: 2 }).certPem,
    );
    const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(1.9);
    expect(days).toBeLessThan(2.1);
  });

  it('refuses a server certificate without hosts', () => {
    expect(() => ca.issue({ subject: { commonName: 'x' }, usage: 'server' })).toThrow(/host/);
  });
});
