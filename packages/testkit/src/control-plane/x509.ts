// Minimal X.509 v3 issuing with node:crypto. Node can parse and verify certificates but has no
// API to create one, so the DER is encoded here: just the handful of fields the kube-apiserver
// needs (serving certificates and client certificates for users).
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { isIP } from 'node:net';

/** A certificate and its private key, both PEM. */
export interface CertificateKeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Who a certificate is for; a client certificate's CN is the user, each O a group. */
export interface CertificateSubject {
  readonly commonName: string;
  readonly organizations?: readonly string[];
}

/** What to put in a leaf certificate. */
export interface IssueCertificateOptions {
  readonly subject: CertificateSubject;
  /** `server` for a TLS server (needs `hosts`), `client` for a user. */
  readonly usage: 'server' | 'client';
  /** DNS names and IP addresses a server certificate is valid for. */
  readonly hosts?: readonly string[];
  /** Default 365. */
  readonly validDays?: number;
}

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

// --- DER ------------------------------------------------------------------------------------

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else if (n < 0x100) len = Buffer.from([0x81, n]);
  else if (n < 0x10000) len = Buffer.from([0x82, n >> 8, n & 0xff]);
  else len = Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 + n, inner);

function unsignedInteger(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  // A leading 1 bit would make the INTEGER negative.
  const needsPad = (trimmed[0] ?? 0) & 0x80;
  return tlv(0x02, needsPad ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const [a = 0, b = 0, ...rest] = parts;
  const out = [40 * a + b];
  for (const p of rest) {
    const chunk = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128))
      chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/** KeyUsage bits, numbered as in RFC 5280 (0 = digitalSignature). */
function keyUsage(bits: readonly number[]): Buffer {
  let value = 0;
  for (const bit of bits) value |= 0x80 >> bit;
  const highest = Math.max(...bits);
  return bitString(Buffer.from([value]), 7 - highest);
}

function time(d: Date): Buffer {
  const iso = d.toISOString(); // 2026-11-28T06:50:00.000Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  // RFC 5280: UTCTime through 2049, GeneralizedTime after.
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}

function name(subject: CertificateSubject): Buffer {
  const rdn = (type: string, value: string): Buffer => set(seq(oid(type), utf8(value)));
  return seq(
    ...(subject.organizations ?? []).map((o) => rdn(OID.organization, o)),
    rdn(OID.commonName, subject.commonName),
  );
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function subjectAltNames(hosts: readonly string[]): Buffer {
  return seq(
    ...hosts.map((h) => {
      const family = isIP(h);
      if (family === 4) return tlv(0x87, Buffer.from(h.split('.').map(Number)));
      if (family === 6) throw new Error(`IPv6 SANs are not supported here: ${h}`);
      return tlv(0x82, Buffer.from(h, 'ascii'));
    }),
  );
}

// --- certificates ---------------------------------------------------------------------------

function newKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  // P-256 instead of RSA: generating it takes microseconds, and Go accepts it everywhere here.
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

function keyId(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function signCertificate(args: {
  subject: CertificateSubject;
  issuer: CertificateSubject;
  publicKey: KeyObject;
  issuerKey: KeyObject;
  issuerKeyId: Buffer;
  validDays: number;
  extensions: Buffer[];
}): string {
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const now = Date.now();
  const tbs = seq(
    explicit(0, unsignedInteger(Buffer.from([2]))), // v3
    unsignedInteger(randomBytes(16)),
    algorithm,
    name(args.issuer),
    seq(time(new Date(now - 60 * 60 * 1000)), time(new Date(now + args.validDays * 86_400_000))),
    name(args.subject),
    Buffer.from(args.publicKey.export({ type: 'spki', format: 'der' })),
    explicit(
      3,
      seq(
        ...args.extensions,
        extension(OID.subjectKeyIdentifier, false, octets(keyId(args.publicKey))),
        extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, args.issuerKeyId))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, args.issuerKey);
  return pem('CERTIFICATE', seq(tbs, algorithm, bitString(signature)));
}

/** A certificate authority able to issue certificates, kept in memory. */
export class CertificateAuthority implements CertificateKeyPair {
  private constructor(
    private readonly subject: CertificateSubject,
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    readonly certPem: string,
  ) {}

  /** A new self-signed CA, valid for `validDays` (default 365). */
  static create(commonName: string, validDays = 365): CertificateAuthority {
    const { privateKey, publicKey } = newKey();
    const subject = { commonName };
    const certPem = signCertificate({
      subject,
      issuer: subject,
      publicKey,
      issuerKey: privateKey,
      issuerKeyId: keyId(publicKey),
      validDays,
      extensions: [
        extension(OID.basicConstraints, true, seq(bool(true))),
        extension(OID.keyUsage, true, keyUsage([0, 5, 6])), // digitalSignature, keyCertSign, cRLSign
      ],
    });
    return new CertificateAuthority(subject, privateKey, publicKey, certPem);
  }

  /** Loads a CA made by {@link CertificateAuthority.create}, e.g. one passed to another process. */
  static fromPem(pair: CertificateKeyPair): CertificateAuthority {
    const privateKey = createPrivateKey(pair.keyPem);
    // The issuer name must match the CA's subject byte for byte; create() writes only a CN.
    const cn = /^CN=(.*)$/.exec(new X509Certificate(pair.certPem).subject.trim());
    if (!cn?.[1]) throw new Error('not a CA made by CertificateAuthority.create');
    return new CertificateAuthority(
      { commonName: cn[1] },
      privateKey,
      createPublicKey(privateKey),
      pair.certPem,
    );
  }

  /** The CA private key, PKCS#8 PEM. */
  get keyPem(): string {
    return this.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  /** Issues a leaf certificate with a fresh key. */
  issue(options: IssueCertificateOptions): CertificateKeyPair {
    const { privateKey, publicKey } = newKey();
    const hosts = options.hosts ?? [];
    if (options.usage === 'server' && hosts.length === 0) {
      throw new Error('a server certificate needs at least one host');
    }
    const extensions = [
      extension(OID.basicConstraints, true, seq()),
      extension(OID.keyUsage, true, keyUsage([0, 2])), // digitalSignature, keyEncipherment
      extension(
        OID.extKeyUsage,
        false,
        seq(oid(options.usage === 'server' ? OID.serverAuth : OID.clientAuth)),
      ),
    ];
    if (hosts.length > 0)
      extensions.push(extension(OID.subjectAltName, false, subjectAltNames(hosts)));
    const certPem = signCertificate({
      subject: options.subject,
      issuer: this.subject,
      publicKey,
      issuerKey: this.privateKey,
      issuerKeyId: keyId(this.publicKey),
      validDays: options.validDays ?? 365,
      extensions,
    });
    return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  }
}
