import { CertificateAuthority } from '../control-plane/x509.js';

/** A serving certificate for the emulator on 127.0.0.1, and the CA a client must trust. */
export interface EmulatorTls {
  certPem: string;
  keyPem: string;
  /** PEM of the issuing CA: a client's extra CA, or `NODE_EXTRA_CA_CERTS` for a child process. */
  caPem: string;
}

/** Issues a fresh CA and a serving certificate for 127.0.0.1 and localhost. */
export function createEmulatorTls(): EmulatorTls {
  const ca = CertificateAuthority.create('odh-nim-ngc-emulator-ca');
  const serving = ca.issue({
    subject: { commonName: 'ngc-emulator' },
    usage: 'server',
    hosts: ['127.0.0.1', 'localhost'],
  });
  return { certPem: serving.certPem, keyPem: serving.keyPem, caPem: ca.certPem };
}
