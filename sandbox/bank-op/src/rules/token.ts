/**
 * Rules of the token endpoint (RFC 6749 sections 4.1.3, 4.4, 5.2 and 6; FAPI 2.0 SP 5.3.2.1;
 * RFC 9449 section 5; RFC 8705 section 3; RFC 9396 section 6).
 */
import type { Rule } from '@sandbox/fapi/errors/oauth-error'

const SP = 'FAPI 2.0 SP' as const

export const tokenRules = {
  unsupportedGrantType: {
    id: 'AS-RTY-02',
    error: 'unsupported_grant_type',
    status: 400,
    clause: { spec: SP, section: '5.3.2.1', item: 2 },
    summary: 'grant_type must be authorization_code, refresh_token or client_credentials',
    redirectable: false,
  },
  grantTypeNotRegistered: {
    id: 'AS-RTY-03',
    error: 'unauthorized_client',
    status: 400,
    clause: { spec: 'RFC 6749', section: '5.2' },
    summary: 'the client is not registered for this grant_type',
    redirectable: false,
  },
  certificateRequired: {
    id: 'AS-TOK-02',
    error: 'invalid_request',
    status: 400,
    clause: { spec: SP, section: '5.3.2.1', item: 4 },
    summary:
      'this bank issues certificate-bound tokens only, so call the mtls_endpoint_aliases token endpoint with a client certificate',
    redirectable: false,
    related: ['AS-RT-02'],
  },
  codeUnknown: {
    id: 'AS-CODE-01',
    error: 'invalid_grant',
    status: 400,
    clause: { spec: SP, section: '5.3.2.1', item: 11 },
    summary: 'code must be an authorization code this bank issued less than 60 s ago',
    redirectable: false,
  },
  codeReplayed: {
    id: 'AS-CODE-02',
    error: 'invalid_grant',
    status: 400,
    clause: { spec: 'RFC 6749', section: '4.1.2' },
    summary: 'code was already redeemed, so the grant and every token issued from it are revoked',
    redirectable: false,
  },
  codeClientMismatch: {
    id: 'AS-TOK-04',
    error: 'invalid_grant',
    status: 400,
    clause: { spec: 'RFC 6749', section: '4.1.3' },
    summary: 'code was issued to another client',
    redirectable: false,
    related: ['AS-CODE-04'],
  },
  redirectUriRequired: {
    id: 'AS-RU-03',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'RFC 6749', section: '4.1.3' },
    summary: 'redirect_uri is required, as sent in the authorization request',
    redirectable: false,
  },
  redirectUriMismatch: {
    id: 'AS-RU-03',
    error: 'invalid_grant',
    status: 400,
    clause: { spec: 'RFC 6749', section: '4.1.3' },
    summary: 'redirect_uri must be identical to the one of the authorization request',
    redirectable: false,
    related: ['AS-CODE-04'],
  },
  codeDpopKeyMismatch: {
    id: 'AS-TOK-05',
    error: 'invalid_grant',
    status: 400,
    clause: { spec: 'RFC 9449', section: '10' },
    summary: 'the DPoP proof key must be the key the code was bound to at PAR',
    redirectable: false,
    related: ['AS-CODE-04'],
  },
  grantInactive: {
    id: 'AS-RT-06',
    error: 'invalid_grant',
    status: 400,
    clause: { spec: 'RFC 6749', section: '5.2' },
    summary: 'the grant behind this request must be active, neither revoked nor expired',
    redirectable: false,
  },
  authorizationDetailsWidened: {
    id: 'RAR-07',
    error: 'invalid_authorization_details',
    status: 400,
    clause: { spec: 'RFC 9396', section: '6.1' },
    summary: 'authorization_details in a token request may only narrow what was granted',
    redirectable: false,
    related: ['RAR-10'],
  },
  scopeWidened: {
    id: 'AS-RT-05',
    error: 'invalid_scope',
    status: 400,
    clause: { spec: 'RFC 6749', section: '6' },
    summary: 'scope in a refresh request may only name scopes that were granted',
    redirectable: false,
  },
  refreshTokenUnknown: {
    id: 'AS-RT-06',
    error: 'invalid_grant',
    status: 400,
    clause: { spec: 'RFC 6749', section: '6' },
    summary:
      'refresh_token must be a refresh token of this bank that is neither expired nor revoked',
    redirectable: false,
  },
  refreshTokenClientMismatch: {
    id: 'AS-RT-01',
    error: 'invalid_grant',
    status: 400,
    clause: { spec: 'RFC 6749', section: '6' },
    summary: 'refresh_token was issued to another client',
    redirectable: false,
  },
  refreshTokenBinding: {
    id: 'AS-RT-02',
    error: 'invalid_grant',
    status: 400,
    clause: { spec: SP, section: '5.3.2.1', item: 4 },
    summary:
      'refresh_token works only with the DPoP key or client certificate it was issued to (sandbox policy)',
    redirectable: false,
  },
  clientCredentialsScope: {
    id: 'AS-TOK-13',
    error: 'invalid_scope',
    status: 400,
    clause: { spec: 'RFC 6749', section: '4.4.2' },
    summary: 'client_credentials may only ask for the payments scope',
    redirectable: false,
  },
  clientCredentialsDetails: {
    id: 'AS-TOK-13',
    error: 'invalid_authorization_details',
    status: 400,
    clause: { spec: 'RFC 9396', section: '6' },
    summary: 'client_credentials tokens carry no authorization_details, these need a user consent',
    redirectable: false,
  },
} as const satisfies Record<string, Rule>
