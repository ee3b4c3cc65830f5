/**
 * Matching a presented certificate against a tls_client_auth registration (RFC 8705 section 2.1.2):
 * exactly one of the subject DN or a SAN of the named kind must match.
 */
import type { ClientInformation } from '@sandbox/spec-types/oauth/registration'
import type { PeerCertificate } from './peer-certificate.js'

/**
 * An RFC 4514 DN reduced for comparison: RDNs split on unescaped commas, attribute types upper
 * case, values trimmed. Values stay case-sensitive (RFC 4517 leaves matching rules per attribute;
 * the sandbox only issues DNs it wrote itself, so exact values are the honest rule).
 */
export function normalizeDn(dn: string): string {
  return dn
    .split(/(?<!\\),/)
    .map((rdn) => {
      const equals = rdn.indexOf('=')
      if (equals < 0) return rdn.trim()
      return `${rdn.slice(0, equals).trim().toUpperCase()}=${rdn.slice(equals + 1).trim()}`
    })
    .join(',')
}

export function matchesTlsClientAuthSubject(
  registered: Pick<
    ClientInformation,
    | 'tls_client_auth_subject_dn'
    | 'tls_client_auth_san_dns'
    | 'tls_client_auth_san_uri'
    | 'tls_client_auth_san_ip'
    | 'tls_client_auth_san_email'
  >,
  presented: PeerCertificate,
): boolean {
  if (registered.tls_client_auth_subject_dn !== undefined)
    return normalizeDn(registered.tls_client_auth_subject_dn) === normalizeDn(presented.subjectDn)
  if (registered.tls_client_auth_san_dns !== undefined)
    return presented.sanDns.some(
      (name) => name.toLowerCase() === registered.tls_client_auth_san_dns?.toLowerCase(),
    )
  if (registered.tls_client_auth_san_uri !== undefined)
    return presented.sanUri.includes(registered.tls_client_auth_san_uri)
  if (registered.tls_client_auth_san_ip !== undefined)
    return presented.sanIp.includes(registered.tls_client_auth_san_ip)
  if (registered.tls_client_auth_san_email !== undefined)
    return presented.sanEmail.includes(registered.tls_client_auth_san_email)
  return false
}
