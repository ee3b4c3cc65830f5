/**
 * RFC 9457 problem documents for every refusal of the bank's APIs: `type` names the rule, `title`
 * its kind, `detail` the fact and the clause, plus the `rule` and, for refused tokens, the RFC 6750
 * `error` as extension members (section 3.2) so clients can branch without parsing prose.
 * @see https://www.rfc-editor.org/rfc/rfc9457.html#section-3
 */
import { describe } from '@sandbox/fapi/errors/describe'
import type { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import type { ProblemDetails } from '@sandbox/spec-types/problem'
import Type from 'typebox'
import type { ApiRule } from './rules.js'

/**
 * Problem types are relative references (RFC 9457 section 3.1.1) to pages this server serves,
 * `/problems/rs-api-03`, which describe the rule and cite its clause.
 */
export const PROBLEM_TYPE_PATH = '/problems/'

export interface ApiProblemDocument extends ProblemDetails {
  type: string
  title: string
  status: number
  detail: string
  /** The yardstick row the refusal enforces. */
  rule: string
  /** RFC 6750 section 3.1 error code, for refused tokens and missing permissions. */
  error?: string
}

/** The schema routes declare for their 4xx answers (open: RFC 9457 section 3.2 extensions). */
export const ApiProblemSchema = Type.Object(
  {
    type: Type.String({ format: 'uri-reference' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    rule: Type.String(),
    error: Type.Optional(Type.String()),
  },
  { $id: 'ApiProblem' },
)

/** `/problems/rs-api-03`: the page of the rule's row. */
export function problemType(ruleId: string): string {
  return `${PROBLEM_TYPE_PATH}${ruleId.toLowerCase()}`
}

/** A refusal by one of the API's own rules; the scope's error handler answers it. */
export class ApiProblem extends Error {
  readonly rule: ApiRule
  readonly detail: string | undefined
  /** For an `insufficient_scope` refusal: the scope a new authorization needs (RFC 6750 3). */
  readonly scope: string | undefined

  constructor(rule: ApiRule, detail?: string, scope?: string) {
    super(describe(rule, detail))
    this.name = 'ApiProblem'
    this.rule = rule
    this.detail = detail
    this.scope = scope
  }

  toProblem(): ApiProblemDocument {
    const { rule } = this
    return {
      type: problemType(rule.id),
      title: rule.title,
      status: rule.status,
      detail: this.message,
      rule: rule.id,
      ...(rule.error === undefined ? {} : { error: rule.error }),
    }
  }
}

/**
 * The problem document of a refused access token or proof; its challenge travels beside it. A
 * request without credentials (`bare`) gets no `error` member, as its challenge has no error code.
 */
export function tokenProblem(error: OAuthError, status: number, bare: boolean): ApiProblemDocument {
  return {
    type: problemType(error.rule.id),
    title: bare
      ? 'Access token required'
      : status === 400
        ? 'Malformed credentials'
        : 'Access token refused',
    status,
    detail: error.message,
    rule: error.rule.id,
    ...(bare ? {} : { error: error.rule.error }),
  }
}
