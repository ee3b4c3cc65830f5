/**
 * Rules every OAuth endpoint of the bank applies to the HTTP request itself, before any protocol
 * check: method, media type, size, syntax and repeated parameters (RFC 6749 sections 3.1, 3.2, 5.2).
 */
import type { Rule } from '@sandbox/fapi/errors/oauth-error'

export const requestRules = {
  /** AS-PAR-04, AS-TOK-12: the back-channel endpoints take POST only. */
  postOnly: {
    id: 'AS-PAR-04',
    error: 'invalid_request',
    status: 405,
    clause: { spec: 'RFC 9126', section: '2' },
    summary: 'this endpoint accepts POST only',
    redirectable: false,
    related: ['AS-TOK-12'],
  },
  /** RFC 6749 section 3.2 and RFC 9126 section 2.1: form-encoded bodies only. */
  formEncodedOnly: {
    id: 'AS-TOK-09',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'RFC 6749', section: '3.2' },
    summary: 'the body must be application/x-www-form-urlencoded',
    redirectable: false,
  },
  /** AS-PAR-16 (sandbox policy): oversize bodies are refused before parsing. */
  bodyTooLarge: {
    id: 'AS-PAR-16',
    error: 'invalid_request',
    status: 413,
    clause: { spec: 'RFC 9126', section: '2.3' },
    summary: 'the request body is larger than this endpoint accepts',
    redirectable: false,
  },
  /** RFC 6749 section 3.1: a parameter MUST NOT be included more than once. */
  repeatedParameter: {
    id: 'AS-PAR-10',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'RFC 6749', section: '3.1' },
    summary: 'a request parameter must not be sent more than once',
    redirectable: false,
  },
  /** A parameter missing or malformed for the syntax its definition gives (RFC 6749 section 5.2). */
  malformedParameter: {
    id: 'AS-TOK-09',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'RFC 6749', section: '5.2' },
    summary: 'a request parameter is missing or malformed',
    redirectable: false,
  },
  /** AS-CA-01: client secrets (Basic or in the body) are not a FAPI client authentication. */
  clientSecretRefused: {
    id: 'AS-CA-01',
    error: 'invalid_client',
    status: 401,
    clause: { spec: 'FAPI 2.0 SP', section: '5.3.2.1', item: 6 },
    summary: 'client secrets are not accepted, authenticate with the method the bank requires',
    redirectable: false,
  },
  /** AS-CA-11: RFC 6749 section 2.3, one authentication method per request. */
  oneAuthenticationMethod: {
    id: 'AS-CA-11',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'RFC 6749', section: '2.3' },
    summary: 'a client must use exactly one authentication method per request',
    redirectable: false,
  },
  /** AS-CA-01, AS-CA-12: the registered method is the only one a client may use. */
  wrongAuthenticationMethod: {
    id: 'AS-CA-01',
    error: 'invalid_client',
    status: 401,
    clause: { spec: 'FAPI 2.0 SP', section: '5.3.2.1', item: 6 },
    summary:
      'the client must authenticate with the method it registered, the one this bank requires',
    redirectable: false,
  },
  /** AS-CA-12: RFC 8705 section 2.1, tls_client_auth needs a certificate matching the registration. */
  tlsClientAuth: {
    id: 'AS-CA-12',
    error: 'invalid_client',
    status: 401,
    clause: { spec: 'RFC 8705', section: '2.1' },
    summary: 'tls_client_auth needs a trusted client certificate matching the registered subject',
    redirectable: false,
  },
  /** AS-TOK-02: SP 5.3.2.1-4, no token without a sender constraint; at a DPoP bank a proof is due. */
  dpopProofRequired: {
    id: 'AS-TOK-02',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'FAPI 2.0 SP', section: '5.3.2.1', item: 4 },
    summary: 'this bank issues DPoP-bound tokens only, so the request needs a DPoP proof header',
    redirectable: false,
    related: ['AS-RT-02'],
  },
} as const satisfies Record<string, Rule>
