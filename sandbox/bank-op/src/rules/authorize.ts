/**
 * Rules of the authorization endpoint and the bank's sign-in and consent pages (RFC 6749 section
 * 4.1.2.1, RFC 9126 section 4, FAPI 2.0 SP 5.3.2.2). A rule that is `redirectable` goes back to
 * the client's pushed redirect_uri; every other one is shown as an error page.
 */
import type { Rule } from '@sandbox/fapi/errors/oauth-error'

const SP = 'FAPI 2.0 SP' as const

export const authorizeRules = {
  /** Sandbox policy: an error page, never a redirect to a redirect_uri nobody authenticated. */
  notPushed: {
    id: 'AS-AZ-01',
    error: 'invalid_request',
    status: 400,
    clause: { spec: SP, section: '5.3.2.2', item: 3 },
    summary:
      'authorization requests must be pushed to the PAR endpoint and then referenced by request_uri',
    redirectable: false,
  },
  clientId: {
    id: 'AS-AZ-03',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'RFC 6749', section: '4.1.2.1' },
    summary: 'client_id must be sent beside request_uri and name a client registered at this bank',
    redirectable: false,
    related: ['AS-AZ-12'],
  },
  requestUriInvalid: {
    id: 'AS-AZ-07',
    error: 'invalid_request_uri',
    status: 400,
    clause: { spec: 'RFC 9126', section: '4' },
    summary: 'request_uri must be one this bank issued at its PAR endpoint, unexpired and unused',
    redirectable: false,
    related: ['AS-AZ-05', 'AS-AZ-06', 'AS-AZ-12'],
  },
  requestUriOtherClient: {
    id: 'AS-AZ-04',
    error: 'invalid_request_uri',
    status: 400,
    clause: { spec: 'RFC 9126', section: '4' },
    summary: 'request_uri is bound to the client that pushed it, and client_id names another',
    redirectable: false,
  },
  /** RFC 6749 section 3.1 lets the endpoint refuse POST; SP 5.2.3-3 forbids CORS on it. */
  getOnly: {
    id: 'AS-TLS-06',
    error: 'invalid_request',
    status: 405,
    clause: { spec: SP, section: '5.2.3', item: 3 },
    summary: 'the authorization endpoint takes browser GET navigations only, never CORS requests',
    redirectable: false,
  },
  accessDenied: {
    id: 'AS-AZ-09',
    error: 'access_denied',
    status: 400,
    clause: { spec: 'RFC 6749', section: '4.1.2.1' },
    summary: 'the customer did not authorize the request',
    redirectable: true,
    related: ['AS-ISS-01', 'MS-JARM-04'],
  },
  /** Sandbox policy: five failed password or code entries end the sign-in. */
  signInAttempts: {
    id: 'AS-AZ-09',
    error: 'access_denied',
    status: 400,
    clause: { spec: 'RFC 6749', section: '4.1.2.1' },
    summary: 'the customer could not sign in within 5 attempts',
    redirectable: true,
  },
  /** Sandbox convenience (docs/headless-consent.md): the pushed login_hint stands for the user. */
  automaticConsentLoginHint: {
    id: 'AS-AZ-02',
    error: 'invalid_request',
    status: 400,
    clause: { spec: 'OIDC Core', section: '3.1.2.1' },
    summary: 'automatic consent needs a pushed login_hint naming a sandbox test user',
    redirectable: true,
  },
  /** RFC 6749 section 10.12: the bank's own forms are protected against cross-site requests. */
  browserSession: {
    id: 'AS-AZ-14',
    error: 'invalid_request',
    status: 403,
    clause: { spec: 'RFC 6749', section: '10.12' },
    summary:
      'this page must be used in the browser session that opened it, with its CSRF token, before the session expires',
    redirectable: false,
  },
} as const satisfies Record<string, Rule>
