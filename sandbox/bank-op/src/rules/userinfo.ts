/**
 * Rules of the UserInfo endpoint (OIDC Core section 5.3), a protected resource of the bank: access
 * tokens in the Authorization header only, sender-constrained, valid and granted `openid` (FAPI 2.0
 * SP 5.3.4; RFC 6750 section 3; RFC 9449 section 7; RFC 8705 section 3).
 */
import type { Rule } from '@sandbox/fapi/errors/oauth-error'

const SP = 'FAPI 2.0 SP' as const

export const userinfoRules = {
  /** Answered as a bare challenge: no error code when no credentials came (RFC 6750 section 3.1). */
  tokenMissing: {
    id: 'RS-03',
    error: 'invalid_token',
    status: 401,
    clause: { spec: 'RFC 6750', section: '3.1' },
    summary: 'an access token is required in the Authorization header',
    redirectable: false,
  },
  tokenOutsideHeader: {
    id: 'RS-01',
    error: 'invalid_request',
    status: 400,
    clause: { spec: SP, section: '5.3.4', item: 2 },
    summary: 'the access token must travel in the Authorization header, never in the query or body',
    redirectable: false,
  },
  authorizationMalformed: {
    id: 'RS-01',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'RFC 6750', section: '2.1' },
    summary: 'the Authorization header must be the scheme, one space and the access token',
    redirectable: false,
  },
  wrongScheme: {
    id: 'RS-06',
    error: 'invalid_token',
    status: 401,
    clause: { spec: 'RFC 9449', section: '7.2' },
    summary:
      'the access token must be presented with the scheme of its binding, DPoP at a DPoP bank and Bearer with mTLS',
    redirectable: false,
  },
  proofMissing: {
    id: 'RS-07',
    error: 'invalid_dpop_proof',
    status: 401,
    clause: { spec: 'RFC 9449', section: '7.1' },
    summary: 'a DPoP access token needs a DPoP proof header',
    redirectable: false,
  },
  tokenInvalid: {
    id: 'RS-04',
    error: 'invalid_token',
    status: 401,
    clause: { spec: SP, section: '5.3.4', item: 3 },
    summary: 'the access token must be a valid, unexpired and unrevoked access token of this bank',
    redirectable: false,
  },
  certificateBinding: {
    id: 'RS-09',
    error: 'invalid_token',
    status: 401,
    clause: { spec: 'RFC 8705', section: '3' },
    summary:
      'a certificate-bound access token must come over mutual TLS with the certificate it is bound to',
    redirectable: false,
    related: ['AS-SC-15'],
  },
  openidRequired: {
    id: 'RS-05',
    error: 'insufficient_scope',
    status: 403,
    clause: { spec: 'OIDC Core', section: '5.3' },
    summary: 'userinfo needs an access token granted the openid scope',
    redirectable: false,
  },
} as const satisfies Record<string, Rule>
