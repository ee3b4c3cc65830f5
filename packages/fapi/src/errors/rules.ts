/** The rules registry: each rejection this package makes, keyed by a readable name, tied to its row in fapi2-requirements.md. */
import type { Rule } from './oauth-error.js'

const SP = 'FAPI 2.0 SP' as const

/**
 * Row ids may repeat where one row prescribes two answers (AS-CA-02: wrong type is
 * invalid_request 400, a missing claim invalid_client 401) or covers two checks (AS-SC-11).
 * DPoP rules carry the authorization-server status (400); see www-authenticate.ts for the RS form.
 */
export const rules = {
  // PKCE (RFC 7636)
  pkceS256: {
    id: 'AS-PAR-07',
    error: 'invalid_request',
    status: 400,
    clause: { spec: SP, section: '5.3.2.2', item: 5 },
    summary: 'code_challenge_method must be S256 with a 43 character base64url code_challenge',
    redirectable: true,
  },
  pkceVerifier: {
    id: 'AS-TOK-03',
    error: 'invalid_grant',
    status: 400,
    clause: { spec: 'RFC 7636', section: '4.6' },
    summary: 'code_verifier must be present and match the code_challenge',
    redirectable: false,
  },
  // Client authentication (RFC 7523, SP 5.3.2.1)
  clientAuthRequired: {
    id: 'AS-CA-08',
    error: 'invalid_client',
    status: 401,
    clause: { spec: SP, section: '5.3.2.1', item: 6 },
    summary: 'client authentication with private_key_jwt is required',
    redirectable: false,
  },
  clientAssertionType: {
    id: 'AS-CA-02',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'RFC 7523', section: '2.2' },
    summary:
      'client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer with a client_assertion',
    redirectable: false,
  },
  clientAssertionClaims: {
    id: 'AS-CA-02',
    error: 'invalid_client',
    status: 401,
    clause: { spec: 'RFC 7523', section: '3' },
    summary: 'client_assertion must be a JWT with iss and sub equal to the client_id, exp and jti',
    redirectable: false,
  },
  clientAssertionAudience: {
    id: 'AS-CA-03',
    error: 'invalid_client',
    status: 401,
    clause: { spec: SP, section: '5.3.2.1', item: 8 },
    summary: 'client_assertion aud must be the issuer identifier as a single string',
    redirectable: false,
  },
  clientAssertionAlg: {
    id: 'AS-CA-04',
    error: 'invalid_client',
    status: 401,
    clause: { spec: SP, section: '5.4.1', item: 1 },
    summary: 'client_assertion must be signed with PS256, ES256 or EdDSA',
    redirectable: false,
    related: ['AS-ALG-02'],
  },
  clientAssertionExpired: {
    id: 'AS-CA-05',
    error: 'invalid_client',
    status: 401,
    clause: { spec: 'RFC 7523', section: '3', item: 4 },
    summary: 'client_assertion has expired',
    redirectable: false,
  },
  clientAssertionLifetime: {
    id: 'AS-CA-05',
    error: 'invalid_client',
    status: 401,
    clause: { spec: 'RFC 7523', section: '3', item: 4 },
    summary: 'client_assertion may live at most 300 s (sandbox policy)',
    redirectable: false,
  },
  clientAssertionIssuedInFuture: {
    id: 'AS-CA-06',
    error: 'invalid_client',
    status: 401,
    clause: { spec: SP, section: '5.3.2.1', item: 13 },
    summary: 'client_assertion iat and nbf must not lie beyond the accepted clock skew',
    redirectable: false,
    related: ['AS-CLK-01', 'AS-CLK-02'],
  },
  clientAssertionReplay: {
    id: 'AS-CA-07',
    error: 'invalid_client',
    status: 401,
    clause: { spec: 'RFC 7523', section: '3', item: 7 },
    summary: 'client_assertion jti was already used',
    redirectable: false,
  },
  clientAssertionKey: {
    id: 'AS-CA-09',
    error: 'invalid_client',
    status: 401,
    clause: { spec: 'OIDC Core', section: '9' },
    summary: 'client_assertion must verify with a key registered for the client',
    redirectable: false,
  },
  clientIdMismatch: {
    id: 'AS-CA-10',
    error: 'invalid_client',
    status: 401,
    clause: { spec: 'RFC 7523', section: '3', item: 2 },
    summary: 'client_id must equal the client_assertion iss and sub',
    redirectable: false,
  },
  clientKeyStrength: {
    id: 'AS-CA-13',
    error: 'invalid_client',
    status: 401,
    clause: { spec: SP, section: '5.4.1', item: 2 },
    summary: 'client keys must be RSA of 2048 bits or more, EC P-256 or Ed25519',
    redirectable: false,
    related: ['AS-ALG-03'],
  },
  clientAssertionTyp: {
    id: 'AS-ALG-04',
    error: 'invalid_client',
    status: 401,
    clause: { spec: 'RFC 8725', section: '3.11' },
    summary: 'client_assertion typ must not name another kind of JWT',
    redirectable: false,
  },
  // DPoP (RFC 9449 section 4.3; AS status)
  dpopSingleProof: {
    id: 'AS-SC-01',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: 'RFC 9449', section: '4.3', item: 1 },
    summary: 'exactly one DPoP header is required',
    redirectable: false,
  },
  dpopWellFormed: {
    id: 'AS-SC-02',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: 'RFC 9449', section: '4.3', item: 2 },
    summary: 'DPoP proof must be a well-formed compact JWS',
    redirectable: false,
  },
  dpopRequiredMembers: {
    id: 'AS-SC-03',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: 'RFC 9449', section: '4.3', item: 3 },
    summary: 'DPoP proof must carry typ, alg, jwk, jti, htm, htu, iat and ath with a token',
    redirectable: false,
  },
  dpopTyp: {
    id: 'AS-SC-04',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: 'RFC 9449', section: '4.3', item: 4 },
    summary: 'DPoP proof typ must be dpop+jwt',
    redirectable: false,
  },
  dpopAlg: {
    id: 'AS-SC-05',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: SP, section: '5.4.1', item: 1 },
    summary: 'DPoP proof must be signed with PS256, ES256 or EdDSA',
    redirectable: false,
    related: ['AS-ALG-02'],
  },
  dpopSignature: {
    id: 'AS-SC-06',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: 'RFC 9449', section: '4.3', item: 6 },
    summary: 'DPoP proof signature must verify with its jwk',
    redirectable: false,
  },
  dpopPublicJwk: {
    id: 'AS-SC-07',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: 'RFC 9449', section: '4.3', item: 7 },
    summary: 'DPoP proof jwk must be a public key of sufficient strength',
    redirectable: false,
    related: ['AS-ALG-03'],
  },
  dpopHtm: {
    id: 'AS-SC-08',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: 'RFC 9449', section: '4.3', item: 8 },
    summary: 'DPoP proof htm must equal the request method',
    redirectable: false,
  },
  dpopHtu: {
    id: 'AS-SC-09',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: 'RFC 9449', section: '4.3', item: 9 },
    summary: 'DPoP proof htu must equal the request URL without query and fragment',
    redirectable: false,
  },
  dpopNonce: {
    id: 'AS-SC-10',
    error: 'use_dpop_nonce',
    status: 400,
    clause: { spec: 'RFC 9449', section: '8' },
    summary: 'DPoP proof must carry the current server nonce from the DPoP-Nonce header',
    redirectable: false,
  },
  dpopIat: {
    id: 'AS-SC-11',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: SP, section: '5.3.2.1', item: 13 },
    summary: 'DPoP proof iat must be within the accepted window',
    redirectable: false,
    related: ['AS-CLK-01', 'AS-CLK-02'],
  },
  dpopReplay: {
    id: 'AS-SC-11',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: 'RFC 9449', section: '11.1' },
    summary: 'DPoP proof jti was already used',
    redirectable: false,
  },
  dpopAth: {
    id: 'AS-SC-12',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: 'RFC 9449', section: '4.3', item: 12 },
    summary: 'DPoP proof ath must be the SHA-256 hash of the access token',
    redirectable: false,
  },
  dpopKeyBinding: {
    id: 'AS-SC-12',
    error: 'invalid_dpop_proof',
    status: 400,
    clause: { spec: 'RFC 9449', section: '4.3', item: 12 },
    summary: 'DPoP proof key must be the key the token or code is bound to',
    redirectable: false,
  },
} as const satisfies Record<string, Rule>

export type RuleName = keyof typeof rules

/** Every rule in the registry. */
export const allRules: readonly Rule[] = Object.values(rules)

/** The rules enforcing a row of fapi2-requirements.md, directly or as `related` (empty if none). */
export function ruleById(id: string): readonly Rule[] {
  return allRules.filter((rule) => rule.id === id || rule.related?.includes(id))
}
