/** The certificate thumbprint that binds tokens to a certificate: `x5t#S256` (RFC 8705 section 3.1). */
import { base64url } from 'jose'

/** base64url of the SHA-256 of the certificate's DER encoding. */
export async function calculateCertificateThumbprint(der: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(der))
  return base64url.encode(new Uint8Array(digest))
}
