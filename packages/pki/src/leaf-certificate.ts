/**
 * End-entity certificates signed by a sandbox CA (RFC 5280 section 4.1), the common part of
 * server and client certificates.
 */
import { createPrivateKey, X509Certificate as NodeX509Certificate } from 'node:crypto'
import type { CertificateAuthority } from './certificate-authority.js'
import { generateKeyPair, importSigningKey, signingAlgorithm } from './key-pair.js'
import { randomSerialNumber } from './serial-number.js'
import { LEAF_VALIDITY_DAYS, validityFrom } from './validity.js'
import { x509 } from './x509.js'

/** A certificate and its PKCS#8 private key, as PEM. */
export interface IssuedCertificate {
  certPem: string
  keyPem: string
}

export interface LeafProfile {
  subject: x509.Name
  subjectAltNames: x509.JsonGeneralNames
  extendedKeyUsages: string[]
  /** The start of the validity period; defaults to the current time. */
  now?: Date
}

/**
 * Issues an end-entity certificate on a new ECDSA P-256 key, valid 397 days (never past the CA's
 * own expiry): keyUsage digitalSignature (critical), the given extendedKeyUsage, subjectAltName,
 * authorityKeyIdentifier and subjectKeyIdentifier.
 *
 * @throws Error when the CA key cannot sign or does not belong to the CA certificate.
 */
export async function issueLeafCertificate(
  ca: CertificateAuthority,
  profile: LeafProfile,
): Promise<IssuedCertificate> {
  const caCertificate = new x509.X509Certificate(ca.certPem)
  const caNode = new NodeX509Certificate(ca.certPem)
  const signingKey = await importSigningKey(ca.keyPem)
  if (!caNode.checkPrivateKey(createPrivateKey(ca.keyPem))) {
    throw new Error('the CA private key does not match the CA certificate')
  }
  const keys = await generateKeyPair()
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: profile.subject,
    issuer: caCertificate.subjectName,
    ...validityFrom(profile.now ?? new Date(), LEAF_VALIDITY_DAYS, caCertificate.notAfter),
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      // RFC 5280 4.2.1.3: ECDSA TLS certificates only sign (the handshake uses ECDHE).
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(profile.extendedKeyUsages),
      // RFC 5280 4.2.1.6: the subject's names; TLS clients match host names only here.
      ...(profile.subjectAltNames.length === 0
        ? []
        : [new x509.SubjectAlternativeNameExtension(profile.subjectAltNames)]),
      // RFC 5280 4.2.1.1: MUST appear except in self-signed CA certificates.
      await authorityKeyIdentifier(caCertificate),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { certPem: certificate.toString('pem'), keyPem: keys.keyPem }
}

// RFC 5280 4.2.1.1: the keyIdentifier is the issuer's subjectKeyIdentifier, when it has one.
async function authorityKeyIdentifier(caCertificate: x509.X509Certificate) {
  const ski = caCertificate.getExtension(x509.SubjectKeyIdentifierExtension)
  return ski === null
    ? x509.AuthorityKeyIdentifierExtension.create(caCertificate.publicKey)
    : new x509.AuthorityKeyIdentifierExtension(ski.keyId)
}
