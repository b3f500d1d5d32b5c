import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CertificateAuthority } from './x509.js';

/** The certificates and keys one test cluster runs on, written under `<dir>/certs`. */
export interface ClusterPki {
  readonly certDir: string;
  /** Signs the apiserver's serving certificate; what clients trust (`--root-ca-file`). */
  readonly servingCa: CertificateAuthority;
  /** Signs client certificates the apiserver accepts as users (CN = name, O = groups). */
  readonly clientCa: CertificateAuthority;
  readonly files: {
    readonly servingCaFile: string;
    readonly tlsCertFile: string;
    readonly tlsKeyFile: string;
    readonly clientCaFile: string;
    readonly tokenAuthFile: string;
    /** RSA key that signs service-account tokens (apiserver) and verifies them (both). */
    readonly serviceAccountKeyFile: string;
  };
}

/**
 * A serving certificate for 127.0.0.1 from the cluster's serving CA, written as
 * `<certDir>/<name>.crt` and `.key`, so a client can check `/healthz` of a component with the
 * one CA it trusts.
 */
export async function writeServingCert(
  pki: ClusterPki,
  name: string,
): Promise<{ certFile: string; keyFile: string }> {
  const pair = pki.servingCa.issue({
    subject: { commonName: name },
    usage: 'server',
    hosts: ['127.0.0.1', 'localhost'],
  });
  const certFile = join(pki.certDir, `${name}.crt`);
  const keyFile = join(pki.certDir, `${name}.key`);
  await writeFile(certFile, pair.certPem);
  await writeFile(keyFile, pair.keyPem, { mode: 0o600 });
  return { certFile, keyFile };
}

/** Creates the CAs, the serving certificate for 127.0.0.1 and the service-account key. */
export async function writeClusterPki(dir: string, tokenFile: string): Promise<ClusterPki> {
  const certDir = join(dir, 'certs');
  await mkdir(certDir, { recursive: true });
  const servingCa = CertificateAuthority.create('odh-nim-test-serving-ca');
  const clientCa = CertificateAuthority.create('odh-nim-test-client-ca');
  const serving = servingCa.issue({
    subject: { commonName: 'kube-apiserver' },
    usage: 'server',
    hosts: ['127.0.0.1', 'localhost'],
  });
  const saKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs1',
    format: 'pem',
  });
  const files = {
    servingCaFile: join(certDir, 'serving-ca.crt'),
    tlsCertFile: join(certDir, 'apiserver.crt'),
    tlsKeyFile: join(certDir, 'apiserver.key'),
    clientCaFile: join(certDir, 'client-ca.crt'),
    tokenAuthFile: join(certDir, 'tokens.csv'),
    serviceAccountKeyFile: join(certDir, 'sa.key'),
  };
  await writeFile(files.servingCaFile, servingCa.certPem);
  await writeFile(files.tlsCertFile, serving.certPem);
  await writeFile(files.tlsKeyFile, serving.keyPem, { mode: 0o600 });
  await writeFile(files.clientCaFile, clientCa.certPem);
  await writeFile(files.tokenAuthFile, tokenFile, { mode: 0o600 });
  await writeFile(files.serviceAccountKeyFile, saKey, { mode: 0o600 });
  return { certDir, servingCa, clientCa, files };
}
