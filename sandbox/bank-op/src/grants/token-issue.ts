/** What a grant type hands to the token response (RFC 6749 section 5.1): who, what, and under which grant. */
import type { AuthorizationDetails } from '@sandbox/spec-types/rar/authorization-details'
import type { GrantRecord } from '@sandbox/store/repositories/grants'

/** The login facts an ID token states (OIDC Core section 2). */
export interface Authentication {
  /** Unix seconds. */
  authTime: number
  acr: string
  /** Exactly as pushed; absent when the client sent none (OIDC Core section 3.1.3.7 item 11). */
  nonce?: string | undefined
}

export interface TokenIssue {
  /** The customer id, or the client id for client_credentials (RFC 9068 section 2.2). */
  subject: string
  scope?: string | undefined
  authorizationDetails?: AuthorizationDetails | undefined
  /** Absent for client_credentials: no user, no consent, no grant row. */
  grant?: GrantRecord | undefined
  /** Present at the code exchange, where the user's login is known. */
  authentication?: Authentication | undefined
  /** The refresh token the client already holds (refresh requests: never rotated, SP 5.3.2.1-9). */
  refreshing?: boolean | undefined
}

/** Space-separated scope names (RFC 6749 section 3.3). */
export function hasScope(scope: string | undefined, name: string): boolean {
  return scope?.split(' ').includes(name) === true
}
