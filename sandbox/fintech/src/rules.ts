/**
 * The rules the demo fintech enforces as a FAPI 2.0 client (fapi2-requirements.md section 3), in
 * the kit's registry shape, so a refusal names the rule and its clause like every other service.
 * Each answers `invalid_request` 400: what the fintech tells a browser whose callback it refused.
 */
import type { Rule } from '@sandbox/fapi/errors/oauth-error'

const SP = 'FAPI 2.0 SP' as const

export const fintechRules = {
  metadataIssuer: {
    id: 'CL-01',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'RFC 8414', section: '3.3' },
    summary: 'authorization server metadata issuer must equal the configured issuer',
    redirectable: false,
  },
  metadataMembers: {
    id: 'CL-01',
    error: 'invalid_request',
    status: 400,
    clause: { spec: SP, section: '5.3.3.1', item: 9 },
    summary: 'authorization server metadata must name the endpoints a FAPI 2.0 client uses',
    redirectable: false,
  },
  tokenBinding: {
    id: 'CL-07',
    error: 'invalid_request',
    status: 400,
    clause: { spec: SP, section: '5.3.3.1', item: 1 },
    summary: 'token_type must be the sender constraint the bank binds this client with',
    redirectable: false,
  },
  flowStartForgery: {
    id: 'CL-16',
    error: 'invalid_request',
    status: 403,
    clause: { spec: SP, section: '5.3.3.1', item: 4 },
    summary: 'a flow starts only from this site, with the session anti-forgery token',
    redirectable: false,
  },
  issuerMissing: {
    id: 'CL-04',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'RFC 9207', section: '2.4' },
    summary: 'authorization response must carry iss',
    redirectable: false,
  },
  issuerMismatch: {
    id: 'CL-04',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'RFC 9207', section: '2.4' },
    summary: 'authorization response iss must be the issuer the flow was started at',
    redirectable: false,
  },
  stateMissing: {
    id: 'CL-05',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'RFC 6749', section: '10.12' },
    summary: 'authorization response must return the state the flow was started with',
    redirectable: false,
  },
  stateUnknown: {
    id: 'CL-18',
    error: 'invalid_request',
    status: 400,
    clause: { spec: SP, section: '6.4' },
    summary:
      'authorization response state must belong to a flow this browser started and not yet finished',
    redirectable: false,
  },
  jarmRequired: {
    id: 'MS-JARM-06',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'JARM', section: '2.3.1' },
    summary: 'the bank was asked for a JARM response; a plain query response is refused',
    redirectable: false,
  },
} as const satisfies Record<string, Rule>
