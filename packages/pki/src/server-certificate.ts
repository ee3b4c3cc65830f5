/**
 * The TLS server certificate every sandbox service presents: extendedKeyUsage serverAuth
 * (RFC 5280 section 4.2.1.12) and subjectAltName entries for loopback (RFC 6125 section 6).
 */
import { isIP } from 'node:net'
import type { CertificateAuthority } from './certificate-authority.js'
import { buildName } from './distinguished-name.js'
import { type IssuedCertificate, issueLeafCertificate } from './leaf-certificate.js'
import { x509 } from './x509.js'

/** Host names every server certificate covers: the loopback name and addresses. */
export const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '::1'] as const

export interface IssueServerCertificateOptions {
  /** Extra DNS names or IP addresses, beyond localhost, 127.0.0.1 and ::1. */
  hostnames?: readonly string[]
  /** The start of the validity period; defaults to the current time. */
  now?: Date
}

/**
 * The subjectAltName entries for the loopback names plus `hostnames`: IP literals as iPAddress,
 * the rest as dNSName (lower-cased, duplicates dropped).
 */
export function serverSubjectAltNames(hostnames: readonly string[] = []): x509.JsonGeneralNames {
  const seen = new Set<string>()
  const names: x509.JsonGeneralNames = []
  for (const raw of [...LOOPBACK_HOSTNAMES, ...hostnames]) {
    const host = raw
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, '$1')
    if (host === '' || seen.has(host)) continue
    seen.add(host)
    names.push({ type: isIP(host) === 0 ? 'dns' : 'ip', value: host })
  }
  return names
}

/**
 * Issues the sandbox server certificate (CN=localhost), valid 397 days, with keyUsage
 * digitalSignature, extendedKeyUsage serverAuth and SANs DNS:localhost, IP:127.0.0.1, IP:::1 and
 * the extra host names.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5280.html#section-4.2.1.6
 */
export async function issueServerCertificate(
  ca: CertificateAuthority,
  options: IssueServerCertificateOptions = {},
): Promise<IssuedCertificate> {
  return issueLeafCertificate(ca, {
    subject: buildName({ commonName: 'localhost', organization: 'Open Banking Sandbox' }),
    subjectAltNames: serverSubjectAltNames(options.hostnames),
    extendedKeyUsages: [x509.ExtendedKeyUsage.serverAuth],
    ...(options.now === undefined ? {} : { now: options.now }),
  })
}
