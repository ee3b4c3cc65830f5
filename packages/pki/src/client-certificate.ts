/**
 * TLS client certificates for mutual TLS client authentication (RFC 8705 section 2): subject DN
 * and subjectAltName the bank matches with `tls_client_auth`, extendedKeyUsage clientAuth.
 */
import type { CertificateAuthority } from './certificate-authority.js'
import { buildName } from './distinguished-name.js'
import { type IssuedCertificate, issueLeafCertificate } from './leaf-certificate.js'
import { x509 } from './x509.js'

export interface IssueClientCertificateOptions {
  commonName: string
  organization?: string
  /** ISO 3166 two-letter country code. */
  country?: string
  /** dNSName SANs, matched by `tls_client_auth_san_dns` (RFC 8705 section 2.1.2). */
  dnsNames?: readonly string[]
  /** uniformResourceIdentifier SANs, matched by `tls_client_auth_san_uri`. */
  uris?: readonly string[]
  /** The start of the validity period; defaults to the current time. */
  now?: Date
}

/** The demo fintech's certificate: subject `CN=demo-fintech,O=Demo Fintech Ltd,C=GB`. */
export const DEMO_FINTECH_CLIENT = {
  commonName: 'demo-fintech',
  organization: 'Demo Fintech Ltd',
  country: 'GB',
  dnsNames: ['demo-fintech.localhost'],
  uris: ['https://demo-fintech.localhost'],
} as const satisfies IssueClientCertificateOptions

/**
 * Issues a client certificate, valid 397 days, with keyUsage digitalSignature, extendedKeyUsage
 * clientAuth, subject C, O, CN and the given DNS and URI SANs.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8705.html#section-2.1.2
 */
export async function issueClientCertificate(
  ca: CertificateAuthority,
  options: IssueClientCertificateOptions,
): Promise<IssuedCertificate> {
  const subjectAltNames: x509.JsonGeneralNames = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.uris ?? []).map((value) => ({ type: 'url' as const, value })),
  ]
  return issueLeafCertificate(ca, {
    subject: buildName(options),
    subjectAltNames,
    extendedKeyUsages: [x509.ExtendedKeyUsage.clientAuth],
    ...(options.now === undefined ? {} : { now: options.now }),
  })
}
