/**
 * The X.509 certificate SHA-256 thumbprint, `x5t#S256`, that binds mTLS sender-constrained access
 * tokens to a client certificate (RFC 8705 section 3.1).
 */
import { createHash, X509Certificate } from 'node:crypto'

/**
 * A certificate as PEM, as DER octets, or as any object carrying its DER in `raw` (Node's
 * `X509Certificate`, or the `tls.PeerCertificate` from `socket.getPeerCertificate()`).
 */
export type CertificateInput = string | Uint8Array | { raw: Uint8Array }

/**
 * The certificate's DER octets.
 *
 * @throws Error when the input carries no certificate (e.g. the empty object `getPeerCertificate()`
 * returns when the peer sent none) or the PEM does not parse.
 */
export function certificateDer(certificate: CertificateInput): Uint8Array {
  if (typeof certificate === 'string') return new X509Certificate(certificate).raw
  if (certificate instanceof Uint8Array) return certificate
  if (certificate?.raw instanceof Uint8Array) return certificate.raw
  throw new Error('no certificate: expected PEM, DER or an object with the DER in raw')
}

/**
 * Computes `x5t#S256`: the base64url (no padding) SHA-256 digest of the certificate's DER
 * encoding.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8705.html#section-3.1
 */
export function certificateThumbprint(certificate: CertificateInput): string {
  return createHash('sha256').update(certificateDer(certificate)).digest('base64url')
}
