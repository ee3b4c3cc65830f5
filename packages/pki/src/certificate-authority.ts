/**
 * The sandbox certificate authority: a self-signed root (RFC 5280 sections 4.2.1.2, 4.2.1.3,
 * 4.2.1.9) that signs the server and client certificates.
 */

import { buildName } from './distinguished-name.js'
import { generateKeyPair, signingAlgorithm } from './key-pair.js'
import { randomSerialNumber } from './serial-number.js'
import { CA_VALIDITY_DAYS, validityFrom } from './validity.js'
import { x509 } from './x509.js'

/** A certificate authority as PEM: the certificate and its PKCS#8 private key. */
export interface CertificateAuthority {
  certPem: string
  keyPem: string
}

export interface CreateCertificateAuthorityOptions {
  /** Defaults to `Open Banking Sandbox CA`. */
  commonName?: string
  /** Defaults to `Open Banking Sandbox`. */
  organization?: string
  /** The start of the validity period; defaults to the current time. */
  now?: Date
}

/** The subject of the sandbox CA. */
export const SANDBOX_CA_SUBJECT = {
  commonName: 'Open Banking Sandbox CA',
  organization: 'Open Banking Sandbox',
} as const

/**
 * Creates a self-signed CA certificate on a new ECDSA P-256 key, valid ten years:
 * basicConstraints CA:true pathLen:0 (critical), keyUsage keyCertSign + cRLSign (critical) and a
 * subjectKeyIdentifier.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5280.html#section-4.2.1.9
 */
export async function createCertificateAuthority(
  options: CreateCertificateAuthorityOptions = {},
): Promise<CertificateAuthority> {
  const keys = await generateKeyPair()
  const name = buildName({
    commonName: options.commonName ?? SANDBOX_CA_SUBJECT.commonName,
    organization: options.organization ?? SANDBOX_CA_SUBJECT.organization,
  })
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name,
    ...validityFrom(options.now ?? new Date(), CA_VALIDITY_DAYS),
    keys,
    signingAlgorithm,
    extensions: [
      // RFC 5280 4.2.1.9: pathLen 0, the sandbox CA signs only end-entity certificates.
      new x509.BasicConstraintsExtension(true, 0, true),
      // RFC 5280 4.2.1.3: critical, certificate and CRL signing only.
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      // RFC 5280 4.2.1.2: MUST appear in conforming CA certificates.
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { certPem: certificate.toString('pem'), keyPem: keys.keyPem }
}
