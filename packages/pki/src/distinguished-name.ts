/**
 * Distinguished names: building subject names (RFC 5280 section 4.1.2.6) and writing them as
 * RFC 4514 strings, the form RFC 8705 section 2.1.2 uses for `tls_client_auth_subject_dn`.
 */
import { x509 } from './x509.js'

/** The attributes the sandbox puts in a subject name. */
export interface SubjectAttributes {
  commonName: string
  organization?: string
  /** ISO 3166 two-letter country code. */
  country?: string
}

type NameValue = { printableString: string } | { utf8String: string }

// RFC 5280 section 4.1.2.6: new names use PrintableString or UTF8String; countryName is always a
// PrintableString (X.520). Passing typed values also stops the library parsing quotes or '#hex'.
const directoryString = (value: string): NameValue =>
  x509.Name.isPrintableString(value) ? { printableString: value } : { utf8String: value }

/**
 * Builds a subject name in ASN.1 order (country first), so its RFC 4514 string reads
 * `CN=…,O=…,C=…`.
 *
 * @throws Error when the country is not two printable letters.
 */
export function buildName(attributes: SubjectAttributes): x509.Name {
  const rdns: Record<string, NameValue[]>[] = []
  if (attributes.country !== undefined) {
    if (!/^[A-Z]{2}$/.test(attributes.country)) {
      throw new Error(`country must be a two-letter ISO 3166 code, got '${attributes.country}'`)
    }
    rdns.push({ C: [{ printableString: attributes.country }] })
  }
  if (attributes.organization !== undefined) {
    rdns.push({ O: [directoryString(attributes.organization)] })
  }
  rdns.push({ CN: [directoryString(attributes.commonName)] })
  return new x509.Name(rdns)
}

// RFC 4514 section 2.4: characters escaped anywhere, and the positions that need escaping.
const escapeValue = (value: string): string =>
  value
    .replace(/["+,;<>\\]/g, (c) => `\\${c}`)
    .replace(/\0/g, '\\00')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ')

/**
 * Writes a name as an RFC 4514 string: RDNs in reverse ASN.1 order joined by `,`, the attributes
 * of a multi-valued RDN joined by `+`, values escaped.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4514.html#section-2
 */
export function formatDistinguishedName(name: x509.Name): string {
  return name
    .toJSON()
    .map((rdn) =>
      Object.entries(rdn)
        .flatMap(([type, values]) => values.map((value) => `${type}=${escapeValue(value)}`))
        .join('+'),
    )
    .reverse()
    .join(',')
}
