/** Rules of the token introspection endpoint (RFC 7662; RFC 9701; FAPI 2.0 MS 5.5). */
import type { Rule } from '@sandbox/fapi/errors/oauth-error'

export const introspectionRules = {
  /** RFC 7662 section 2.1: the protected resource calls the endpoint with an HTTP POST. */
  postOnly: {
    id: 'AS-TOK-12',
    error: 'invalid_request',
    status: 405,
    clause: { spec: 'RFC 7662', section: '2.1' },
    summary: 'the introspection endpoint accepts POST only',
    redirectable: false,
  },
} as const satisfies Record<string, Rule>
