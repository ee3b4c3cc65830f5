/**
 * Rules of the UserInfo endpoint (OIDC Core section 5.3) beyond those of every protected resource
 * (the kit's `resource…` rules, FAPI 2.0 SP 5.3.4): the token must be granted `openid`.
 */
import type { Rule } from '@sandbox/fapi/errors/oauth-error'

export const userinfoRules = {
  openidRequired: {
    id: 'RS-05',
    error: 'insufficient_scope',
    status: 403,
    clause: { spec: 'OIDC Core', section: '5.3' },
    summary: 'userinfo needs an access token granted the openid scope',
    redirectable: false,
  },
} as const satisfies Record<string, Rule>
