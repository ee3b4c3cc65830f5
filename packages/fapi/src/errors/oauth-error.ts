/** OAuth 2.0 error objects (RFC 6749 section 5.2) that carry the rule they enforce. */
import type { OAuthErrorCode } from '@sandbox/spec-types/oauth/error'
import { describe } from './describe.js'

export type { OAuthErrorCode }

/** Where a rule comes from: `{ spec: 'FAPI 2.0 SP', section: '5.3.2.2', item: 5 }`. */
export interface Clause {
  readonly spec:
    | 'FAPI 2.0 SP'
    | 'FAPI 2.0 MS'
    | 'OIDC Core'
    | 'JARM'
    | `RFC ${number}`
    /** An Internet-Draft by its name and version, e.g. `draft-ietf-httpapi-idempotency-key-header-07`. */
    | `draft-${string}`
  readonly section: string
  readonly item?: number
}

/** One row of fapi2-requirements.md as code enforces it. */
export interface Rule {
  /** The row id in fapi2-requirements.md, e.g. `AS-PAR-07`. */
  readonly id: string
  readonly error: OAuthErrorCode
  readonly status: number
  readonly clause: Clause
  /** Printable ASCII without `"` and `\` (RFC 6749 section 5.2). */
  readonly summary: string
  /** May the authorization endpoint send it back to the client's redirect URI? */
  readonly redirectable: boolean
  /** Other rows this rule also enforces (e.g. AS-CLK-02 through AS-CA-06). */
  readonly related?: readonly string[]
}

/** A rejection: the rule, the specific fact, and headers such as `DPoP-Nonce`. */
export class OAuthError extends Error {
  readonly rule: Rule
  readonly detail: string | undefined
  readonly headers: Readonly<Record<string, string>>

  constructor(
    rule: Rule,
    detail?: string,
    headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(describe(rule, detail), options)
    this.name = 'OAuthError'
    this.rule = rule
    this.detail = detail
    this.headers = headers
  }

  /** The RFC 6749 section 5.2 body. */
  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.rule.error, error_description: this.message }
  }
}
