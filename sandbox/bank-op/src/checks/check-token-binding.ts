/**
 * The sender constraint of what the token endpoint issues (FAPI 2.0 SP 5.3.2.1-4): the DPoP proof
 * key at a DPoP bank (RFC 9449 section 5), the client certificate of the connection at an mTLS
 * bank (RFC 8705 section 3). There is no third case: the bank never issues an unconstrained token.
 */

import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { calculateCertificateThumbprint } from '@sandbox/fapi/mtls'
import type { FastifyRequest } from 'fastify'
import { tokenRules } from '../rules/token.js'
import type { AuthenticatedClient } from './check-client-authentication.js'
import { checkDpopProof } from './check-dpop.js'

/** The `token_type` and `cnf` every token of one response carries (RFC 7800 section 3.1). */
export type TokenBinding =
  | { tokenType: 'DPoP'; cnf: { jkt: string } }
  | { tokenType: 'Bearer'; cnf: { 'x5t#S256': string } }

/** The same key or certificate on both sides (a refresh token's and a request's binding). */
export function isSameBinding(bound: TokenBinding['cnf'], presented: TokenBinding['cnf']): boolean {
  if ('jkt' in bound) return 'jkt' in presented && presented.jkt === bound.jkt
  return 'x5t#S256' in presented && presented['x5t#S256'] === bound['x5t#S256']
}

/**
 * Establishes the binding of a token request at the endpoint `path`. At a DPoP bank the proof is
 * verified here, before any code or refresh token is looked at, so that a `use_dpop_nonce`
 * answer never consumes a code.
 * @throws OAuthError AS-TOK-02 (no proof, or no certificate), AS-SC-01..12 (the proof itself)
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.3.2.1
 * @see https://www.rfc-editor.org/rfc/rfc8705.html#section-3
 */
export async function checkTokenBinding(
  request: FastifyRequest,
  path: string,
  authenticated: AuthenticatedClient,
): Promise<TokenBinding> {
  if (request.bank.bank.profile.senderConstraint === 'dpop') {
    const proof = await checkDpopProof(request, path, { required: true })
    if (proof === undefined) throw new Error('a required DPoP proof came back undefined')
    return { tokenType: 'DPoP', cnf: { jkt: proof.jkt } }
  }
  // RFC 8705 section 3: tls_client_auth already read the certificate; private_key_jwt clients
  // bind to any certificate they present, self-signed included (section 3, last paragraph).
  let thumbprint = authenticated.certificateThumbprint
  if (thumbprint === undefined) {
    const certificate = request.listener === 'mtls' ? request.peerCertificate() : undefined
    if (certificate === undefined) {
      throw new OAuthError(
        tokenRules.certificateRequired,
        request.listener === 'mtls'
          ? 'no client certificate was presented'
          : 'this request did not arrive on the mutual-TLS listener',
      )
    }
    thumbprint = await calculateCertificateThumbprint(certificate.der)
  }
  return { tokenType: 'Bearer', cnf: { 'x5t#S256': thumbprint } }
}
