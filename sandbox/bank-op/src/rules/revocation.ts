/** Rules of the token revocation endpoint (RFC 7009). */
import type { Rule } from '@sandbox/fapi/errors/oauth-error'

export const revocationRules = {
  /** RFC 7009 section 2.1: the client makes an HTTP POST request. */
  postOnly: {
    id: 'AS-TOK-12',
    error: 'invalid_request',
    status: 405,
    clause: { spec: 'RFC 7009', section: '2.1' },
    summary: 'the revocation endpoint accepts POST only',
    redirectable: false,
  },
  /**
   * RFC 7009 section 2.1: the AS verifies that the token was issued to the client asking and, if
   * not, refuses the request; RFC 6749 section 5.2 names the code for a token issued to another
   * client (`invalid_grant`).
   */
  otherClientsToken: {
    id: 'AS-RT-01',
    error: 'invalid_grant',
    status: 400,
    clause: { spec: 'RFC 7009', section: '2.1' },
    summary: 'a client may revoke only tokens issued to it',
    redirectable: false,
  },
} as const satisfies Record<string, Rule>
