/**
 * Client authentication at the back-channel endpoints (FAPI 2.0 SP 5.3.2.1-6): `private_key_jwt`
 * (RFC 7523 section 2.2) or `tls_client_auth` (RFC 8705 section 2.1), whichever the bank's
 * profile requires, and nothing else: no secrets, no unauthenticated clients, one method a request.
 */
import { verifyClientAssertion } from '@sandbox/fapi/client-assertion'
import { echo } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { rules } from '@sandbox/fapi/errors/rules'
import { calculateCertificateThumbprint, checkTlsClientAuth } from '@sandbox/fapi/mtls'
import type { PeerCertificate } from '@sandbox/service-kit/peer-certificate'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import type { FastifyRequest } from 'fastify'
import { requestRules } from '../rules/request.js'

/** The authentication parameters every back-channel body may carry (RFC 6749 2.3.1, RFC 7523 2.2). */
export interface ClientAuthenticationParameters {
  client_id?: string | undefined
  client_assertion_type?: string | undefined
  client_assertion?: string | undefined
}

export interface AuthenticatedClient {
  client: ClientRecord
  method: 'private_key_jwt' | 'tls_client_auth'
  /** `x5t#S256` of the certificate the client authenticated with (tls_client_auth only). */
  certificateThumbprint?: string | undefined
}

/**
 * Authenticates the client of a back-channel request.
 * @throws OAuthError AS-CA-01 (secrets, wrong method), AS-CA-02..10 and AS-CA-13 (assertion),
 * AS-CA-11 (two methods), AS-CA-12 (certificate)
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.3.2.1
 */
export async function checkClientAuthentication(
  request: FastifyRequest,
  body: ClientAuthenticationParameters,
): Promise<AuthenticatedClient> {
  const { bank } = request
  const authorization = request.headers.authorization
  const hasAssertion =
    body.client_assertion !== undefined || body.client_assertion_type !== undefined
  if (authorization !== undefined) {
    if (hasAssertion) {
      throw new OAuthError(
        requestRules.oneAuthenticationMethod,
        'both an Authorization header and a client_assertion were sent',
      )
    }
    // RFC 6749 section 5.2: a client that tried the Authorization header gets 401 and a challenge.
    const scheme = authorization.split(' ', 1)[0] ?? ''
    throw new OAuthError(
      requestRules.clientSecretRefused,
      `got an Authorization ${echo(scheme)} header`,
      {
        'www-authenticate': `${/^basic$/i.test(scheme) ? 'Basic' : scheme} realm="${bank.issuer}"`,
      },
    )
  }

  if (bank.bank.profile.clientAuth === 'private_key_jwt') {
    let registered: ClientRecord | undefined
    const verified = await verifyClientAssertion({
      assertion: body.client_assertion,
      assertionType: body.client_assertion_type,
      clientId: body.client_id,
      issuer: bank.issuer,
      now: bank.now(),
      seenJti: bank.seenJti,
      getClientJwks: async (clientId) => {
        registered = await bank.store.clients.get(clientId)
        if (registered === undefined) return undefined
        if (registered.metadata.token_endpoint_auth_method !== 'private_key_jwt') {
          throw new OAuthError(
            requestRules.wrongAuthenticationMethod,
            `client ${echo(clientId)} registered ${registered.metadata.token_endpoint_auth_method}`,
          )
        }
        return bank.clientJwks(registered)
      },
    })
    if (registered === undefined || registered.clientId !== verified.clientId) {
      throw new OAuthError(rules.clientAssertionKey, `unknown client ${echo(verified.clientId)}`)
    }
    request.trace.verified('client_assertion')
    for (const rule of [
      rules.clientAssertionAlg,
      rules.clientAssertionKey,
      rules.clientAssertionAudience,
      rules.clientAssertionExpired,
      rules.clientAssertionIssuedInFuture,
      rules.clientAssertionReplay,
    ]) {
      request.trace.pass(rule)
    }
    return { client: registered, method: 'private_key_jwt' }
  }

  // tls_client_auth (RFC 8705 section 2.1): client_id names the client, the certificate proves it.
  if (hasAssertion) {
    throw new OAuthError(
      requestRules.wrongAuthenticationMethod,
      'this bank requires tls_client_auth, not a client_assertion',
    )
  }
  if (body.client_id === undefined) {
    throw new OAuthError(requestRules.tlsClientAuth, 'client_id is required with tls_client_auth')
  }
  const client = await bank.store.clients.get(body.client_id)
  if (client === undefined) {
    throw new OAuthError(requestRules.tlsClientAuth, `unknown client ${echo(body.client_id)}`)
  }
  if (client.metadata.token_endpoint_auth_method !== 'tls_client_auth') {
    throw new OAuthError(
      requestRules.wrongAuthenticationMethod,
      `client ${echo(client.clientId)} registered ${client.metadata.token_endpoint_auth_method}`,
    )
  }
  if (request.listener !== 'mtls') {
    throw new OAuthError(
      requestRules.tlsClientAuth,
      'call the mtls_endpoint_aliases from the discovery document, where the bank asks for a certificate',
    )
  }
  const certificate = request.peerCertificate()
  if (certificate !== undefined && !certificate.trusted) {
    throw new OAuthError(
      requestRules.tlsClientAuth,
      `the certificate does not chain to the sandbox CA (${echo(certificate.untrustedReason ?? '')})`,
    )
  }
  // RFC 8705 section 2.1.2: exactly the registered subject DN or SAN (AS-CA-12).
  checkTlsClientAuth(client.metadata, certificate)
  request.trace.pass(rules.tlsClientAuthSubject, certificate?.subjectDn)
  return {
    client,
    method: 'tls_client_auth',
    certificateThumbprint: await calculateCertificateThumbprint(
      (certificate as PeerCertificate).der,
    ),
  }
}
