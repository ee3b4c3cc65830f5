/**
 * What a relying bank reads from a client certificate for `tls_client_auth` (RFC 8705 section
 * 2.1.2): the subject DN as an RFC 4514 string, the subjectAltName entries, and the `x5t#S256`
 * thumbprint (section 3.1).
 */
import {
  type CertificateInput,
  certificateDer,
  certificateThumbprint,
} from './certificate-thumbprint.js'
import { formatDistinguishedName } from './distinguished-name.js'
import { x509 } from './x509.js'

/** The identifying parts of a certificate. */
export interface CertificateIdentity {
  /** RFC 4514 string, e.g. `CN=demo-fintech,O=Demo Fintech Ltd,C=GB`. */
  subjectDn: string
  issuerDn: string
  /** subjectAltName dNSName entries (`tls_client_auth_san_dns`). */
  dnsNames: string[]
  /** subjectAltName uniformResourceIdentifier entries (`tls_client_auth_san_uri`). */
  uris: string[]
  /** subjectAltName iPAddress entries, IPv4 dotted or IPv6 text (`tls_client_auth_san_ip`). */
  ipAddresses: string[]
  /** subjectAltName rfc822Name entries (`tls_client_auth_san_email`). */
  emails: string[]
  /** `x5t#S256`: base64url SHA-256 of the DER certificate. */
  thumbprint: string
  /** Upper-case hex, as Node prints it. */
  serialNumber: string
  notBefore: Date
  notAfter: Date
}

/**
 * Reads a certificate's subject and issuer DNs, SANs, thumbprint, serial and validity.
 *
 * @throws Error when the input carries no certificate or does not parse.
 * @see https://www.rfc-editor.org/rfc/rfc8705.html#section-2.1.2
 */
export function readCertificateIdentity(certificate: CertificateInput): CertificateIdentity {
  const der = certificateDer(certificate)
  const parsed = new x509.X509Certificate(der)
  const names = parsed.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? []
  const of = (type: x509.JsonGeneralName['type']) =>
    names.filter((name) => name.type === type).map((name) => name.value)
  return {
    subjectDn: formatDistinguishedName(parsed.subjectName),
    issuerDn: formatDistinguishedName(parsed.issuerName),
    dnsNames: of('dns'),
    uris: of('url'),
    ipAddresses: of('ip'),
    emails: of('email'),
    thumbprint: certificateThumbprint(der),
    serialNumber: parsed.serialNumber.toUpperCase(),
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  }
}
