/**
 * The client certificate of a mutual-TLS connection (RFC 8705 section 2), as the checks need it:
 * DER bytes for the `x5t#S256` thumbprint, subject DN and SANs for tls_client_auth, and whether it
 * chains to the sandbox CA.
 */
import type { TLSSocket } from 'node:tls'
import { dnFromNodeSubject } from '@sandbox/fapi/mtls'
import type { FastifyRequest } from 'fastify'

export interface PeerCertificate {
  der: Uint8Array
  /** RFC 4514 string form, least significant RDN first (`CN=fintech,O=Sandbox`). */
  subjectDn: string
  sanDns: string[]
  sanUri: string[]
  sanIp: string[]
  sanEmail: string[]
  /** The TLS layer verified the chain against the listener's CA bundle. */
  trusted: boolean
  /** Why the chain did not verify, when it did not (Node's `authorizationError`). */
  untrustedReason?: string | undefined
}

/** Reads the certificate a request's connection presented; undefined when none was. */
export type PeerCertificateReader = (request: FastifyRequest) => PeerCertificate | undefined

/** Splits Node's `subjectAltName` (`DNS:a, URI:b, IP Address:c, email:d`) by kind. */
export function splitSubjectAltName(value: string | undefined) {
  const result = {
    sanDns: [] as string[],
    sanUri: [] as string[],
    sanIp: [] as string[],
    sanEmail: [] as string[],
  }
  for (const entry of (value ?? '').split(/,\s*/)) {
    const colon = entry.indexOf(':')
    if (colon < 0) continue
    const kind = entry.slice(0, colon)
    const name = entry.slice(colon + 1)
    if (kind === 'DNS') result.sanDns.push(name)
    else if (kind === 'URI') result.sanUri.push(name)
    else if (kind === 'IP Address') result.sanIp.push(name)
    else if (kind === 'email') result.sanEmail.push(name)
  }
  return result
}

/** The reader for real connections: the TLS socket's peer certificate, if the listener asked for one. */
export const tlsPeerCertificate: PeerCertificateReader = (request) => {
  const socket = request.raw.socket as Partial<TLSSocket>
  if (typeof socket.getPeerX509Certificate !== 'function') return undefined
  const certificate = socket.getPeerX509Certificate()
  if (certificate === undefined) return undefined
  return {
    der: new Uint8Array(certificate.raw),
    subjectDn: dnFromNodeSubject(certificate.subject),
    ...splitSubjectAltName(certificate.subjectAltName),
    trusted: socket.authorized === true,
    untrustedReason:
      socket.authorized === true ? undefined : String(socket.authorizationError ?? 'unknown'),
  }
}
