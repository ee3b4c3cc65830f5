/** Mutual-TLS client authentication and certificate-bound tokens (RFC 8705 sections 2.1 and 3). */
import { base64url } from 'jose'
import { OAuthError } from './errors/oauth-error.js'
import { rules } from './errors/rules.js'

/**
 * `base64url(SHA-256(DER certificate))`, the `x5t#S256` confirmation value.
 * @see https://www.rfc-editor.org/rfc/rfc8705.html#section-3.1
 */
export async function calculateCertificateThumbprint(der: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(der))
  return base64url.encode(new Uint8Array(digest))
}

/**
 * Checks that the certificate of this connection is the one the token is bound to.
 * @param presentedThumbprint the `x5t#S256` of the TLS client certificate, if one was presented
 * @throws OAuthError AS-SC-15 / RS-09 (invalid_token 401)
 * @see https://www.rfc-editor.org/rfc/rfc8705.html#section-3
 */
export function checkCertificateBinding(
  cnf: { 'x5t#S256'?: string | undefined } | undefined,
  presentedThumbprint: string | undefined,
): void {
  const bound = cnf?.['x5t#S256']
  if (bound === undefined) {
    throw new OAuthError(rules.certificateBinding, 'the token is not certificate-bound')
  }
  if (presentedThumbprint === undefined) {
    throw new OAuthError(rules.certificateBinding, 'no client certificate was presented')
  }
  if (presentedThumbprint !== bound) {
    throw new OAuthError(rules.certificateBinding, 'another certificate was presented')
  }
}

/** The client metadata of RFC 8705 section 2.1.2: a PKI client registers exactly one. */
export interface TlsClientAuthMetadata {
  tls_client_auth_subject_dn?: string | undefined
  tls_client_auth_san_dns?: string | undefined
  tls_client_auth_san_uri?: string | undefined
  tls_client_auth_san_ip?: string | undefined
  tls_client_auth_san_email?: string | undefined
}

/** What the TLS layer reports about the presented client certificate (already chain-validated). */
export interface PresentedCertificate {
  /** RFC 4514 string form; see {@link dnFromNodeSubject} for Node's `X509Certificate.subject`. */
  subjectDn?: string | undefined
  sanDns: readonly string[]
  sanUri: readonly string[]
  sanIp: readonly string[]
  sanEmail: readonly string[]
}

/** One attribute type and value of a distinguished name, after parsing. */
export interface DnAttribute {
  /** Lower-case short name; the usual OIDs are mapped to it (`2.5.4.3` → `cn`). */
  type: string
  /** Unescaped, with unescaped leading and trailing spaces removed; `#…` hex values kept as such. */
  value: string
}

// RFC 4519 short names for the OIDs a certificate subject commonly carries.
const ATTRIBUTE_OIDS: Readonly<Record<string, string>> = {
  '2.5.4.3': 'cn',
  '2.5.4.5': 'serialnumber',
  '2.5.4.6': 'c',
  '2.5.4.7': 'l',
  '2.5.4.8': 'st',
  '2.5.4.9': 'street',
  '2.5.4.10': 'o',
  '2.5.4.11': 'ou',
  '2.5.4.97': 'organizationidentifier',
  '0.9.2342.19200300.100.1.1': 'uid',
  '0.9.2342.19200300.100.1.25': 'dc',
  '1.2.840.113549.1.9.1': 'emailaddress',
}

function attributeType(raw: string): string | undefined {
  const type = raw
    .trim()
    .toLowerCase()
    .replace(/^oid\./, '')
  if (/^[a-z][a-z0-9-]*$/.test(type)) return type
  if (/^\d+(?:\.\d+)+$/.test(type)) return ATTRIBUTE_OIDS[type] ?? type
  return undefined
}

/**
 * Parses an RFC 4514 distinguished name into its RDNs, in the order written, each a list of
 * attributes (more than one for a multi-valued RDN such as `OU=a+UID=b`). Escapes (`\,`, `\+`,
 * `\XX` UTF-8 hex pairs) are resolved. Spaces after `,` and `+` and around `=` are tolerated, as
 * many tools print them. Returns undefined for a string that is not a DN.
 * @see https://www.rfc-editor.org/rfc/rfc4514.html#section-3
 */
export function parseDistinguishedName(dn: string): DnAttribute[][] | undefined {
  try {
    return parseRdns(dn)
  } catch {
    // Escaped bytes that are not UTF-8.
    return undefined
  }
}

function parseRdns(dn: string): DnAttribute[][] | undefined {
  const rdns: DnAttribute[][] = []
  let rdn: DnAttribute[] = []
  let i = 0
  while (i < dn.length) {
    const eq = dn.indexOf('=', i)
    if (eq === -1) return undefined
    const type = attributeType(dn.slice(i, eq))
    if (type === undefined) return undefined
    i = eq + 1
    while (dn[i] === ' ') i++
    let value = ''
    let bytes: number[] = []
    let trailingSpaces = 0
    const flush = () => {
      if (bytes.length > 0)
        value += new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes))
      bytes = []
    }
    const hexValue = dn[i] === '#'
    let end: string | undefined
    while (i < dn.length) {
      const ch = dn[i] as string
      if (ch === ',' || ch === '+') {
        end = ch
        i++
        break
      }
      if (ch === '\\') {
        const pair = dn.slice(i + 1, i + 3)
        if (/^[0-9A-Fa-f]{2}$/.test(pair)) {
          bytes.push(Number.parseInt(pair, 16))
          i += 3
        } else {
          const next = dn[i + 1]
          if (next === undefined || !' "#+,;<=>\\'.includes(next)) return undefined
          flush()
          value += next
          i += 2
        }
        trailingSpaces = 0
        continue
      }
      // RFC 4514 section 2.4: these must be escaped inside a value; `=` need not be.
      if ('";<>\0'.includes(ch)) return undefined
      flush()
      value += ch
      trailingSpaces = ch === ' ' ? trailingSpaces + 1 : 0
      i++
    }
    flush()
    value = value.slice(0, value.length - trailingSpaces)
    if (value === '') return undefined
    rdn.push({ type, value: hexValue ? value.toLowerCase() : value })
    if (end !== '+') {
      rdns.push(rdn)
      rdn = []
    }
    while (dn[i] === ' ') i++
    if (end !== undefined && i >= dn.length) return undefined
  }
  return rdns.length === 0 ? undefined : rdns
}

/**
 * RFC 8705 section 2.1.2 asks for the RFC 4514 string form. Two DNs are the same here when they
 * have the same RDNs in the same order, each with the same set of attributes: types compared
 * case-insensitively (and the usual OIDs as their names), values compared exactly after escapes
 * are resolved and outer spaces trimmed. Values are case-sensitive: stricter than X.500
 * caseIgnoreMatch, so a registration must copy the certificate's spelling.
 */
export function isSameDistinguishedName(a: string, b: string): boolean {
  const left = parseDistinguishedName(a)
  const right = parseDistinguishedName(b)
  if (left === undefined || right === undefined || left.length !== right.length) return false
  const key = (rdn: DnAttribute[]) =>
    rdn
      .map(({ type, value }) => JSON.stringify([type, value]))
      .sort()
      .join()
  return left.every((rdn, index) => {
    const other = right[index]
    return other !== undefined && key(rdn) === key(other)
  })
}

/**
 * Converts Node's `X509Certificate.subject` (one RDN per line, most significant first, as in the
 * certificate; multi-valued RDNs joined by ` + `; values already escaped as RFC 2253 requires)
 * into the RFC 4514 string, which lists the last RDN first: `C=GB\nO=Bank\nCN=c1` becomes
 * `CN=c1,O=Bank,C=GB`.
 * @see https://www.rfc-editor.org/rfc/rfc4514.html#section-2.1
 */
export function dnFromNodeSubject(subject: string): string {
  return subject
    .split('\n')
    .filter((line) => line !== '')
    .reverse()
    .map((line) => line.split(' + ').join('+'))
    .join(',')
}

// WHATWG URL parsing yields one canonical text form per address: `2001:DB8:0:0:0:0:0:1` and
// `2001:db8::1` both become `[2001:db8::1]`.
function canonicalIp(ip: string): string | undefined {
  try {
    if (ip.includes(':')) return new URL(`http://[${ip}]/`).hostname
    if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(ip)) return new URL(`http://${ip}/`).hostname
  } catch {
    return undefined
  }
  return undefined
}

// RFC 5321 section 2.4: the local part is case-sensitive, the domain is not.
function canonicalEmail(email: string): string {
  const at = email.lastIndexOf('@')
  return at === -1 ? email : `${email.slice(0, at)}@${email.slice(at + 1).toLowerCase()}`
}

const METADATA_NAMES = [
  'tls_client_auth_subject_dn',
  'tls_client_auth_san_dns',
  'tls_client_auth_san_uri',
  'tls_client_auth_san_ip',
  'tls_client_auth_san_email',
] as const

/**
 * Authenticates a `tls_client_auth` (PKI) client: the certificate presented on the connection,
 * already validated against the trusted CAs by the TLS layer, must carry the one registered
 * subject DN or SAN value. DNS names compare case-insensitively, IP addresses in canonical form,
 * e-mail domains case-insensitively; URIs exactly; DNs as {@link isSameDistinguishedName} says.
 * @throws OAuthError AS-CA-12 (invalid_client 401)
 * @see https://www.rfc-editor.org/rfc/rfc8705.html#section-2.1.2
 */
export function checkTlsClientAuth(
  registered: TlsClientAuthMetadata,
  presented: PresentedCertificate | undefined,
): void {
  if (presented === undefined) throw new OAuthError(rules.tlsClientCertificateMissing)
  const names = METADATA_NAMES.filter((name) => registered[name] !== undefined)
  const [name] = names
  if (name === undefined || names.length > 1) {
    throw new OAuthError(
      rules.tlsClientAuthSubject,
      `the client has ${names.length} tls_client_auth values registered`,
    )
  }
  const expected = registered[name] as string
  let matches: boolean
  switch (name) {
    case 'tls_client_auth_subject_dn':
      matches =
        presented.subjectDn !== undefined && isSameDistinguishedName(expected, presented.subjectDn)
      break
    case 'tls_client_auth_san_dns':
      matches = presented.sanDns.some((dns) => dns.toLowerCase() === expected.toLowerCase())
      break
    case 'tls_client_auth_san_uri':
      matches = presented.sanUri.includes(expected)
      break
    case 'tls_client_auth_san_ip': {
      const ip = canonicalIp(expected)
      matches = ip !== undefined && presented.sanIp.some((value) => canonicalIp(value) === ip)
      break
    }
    case 'tls_client_auth_san_email':
      matches = presented.sanEmail.some(
        (email) => canonicalEmail(email) === canonicalEmail(expected),
      )
      break
  }
  if (!matches) throw new OAuthError(rules.tlsClientAuthSubject, `no match for ${name}`)
}
