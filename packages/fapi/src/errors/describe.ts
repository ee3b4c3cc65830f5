/** Renders error descriptions within the RFC 6749 section 5.2 character set. */
import type { Clause, Rule } from './oauth-error.js'

/** RFC 6749 section 5.2: error_description is %x20-21 / %x23-5B / %x5D-7E. */
export const ERROR_DESCRIPTION_CHARSET = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/

const ECHO_MAX = 60
const DETAIL_MAX = 200

/** Replaces every character outside the RFC 6749 section 5.2 set: quotes become `'`, the rest `?`. */
export function toDescriptionChars(value: string): string {
  let out = ''
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0
    if (ch === '"') out += "'"
    else if (ch === '\\') out += '/'
    else if (code >= 0x20 && code <= 0x7e) out += ch
    else out += '?'
  }
  return out
}

function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 3)}...` : value
}

/**
 * Quotes a client-supplied value for a detail: reduced to the allowed characters and cut to 60.
 * Never pass secrets (assertions, tokens, keys) through it.
 */
export function echo(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  return `'${truncate(toDescriptionChars(text), ECHO_MAX)}'`
}

/** `FAPI 2.0 SP 5.3.2.2-5`, `RFC 9449 section 4.3 item 4`. */
export function cite(clause: Clause): string {
  if (clause.spec.startsWith('FAPI')) {
    return `${clause.spec} ${clause.section}${clause.item === undefined ? '' : `-${clause.item}`}`
  }
  const item = clause.item === undefined ? '' : ` item ${clause.item}`
  return `${clause.spec} section ${clause.section}${item}`
}

/**
 * `code_challenge_method must be S256, got 'plain' (FAPI 2.0 SP 5.3.2.2-5)`.
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.2
 */
export function describe(rule: Pick<Rule, 'summary' | 'clause'>, detail?: string): string {
  const fact = detail === undefined ? '' : `, ${truncate(toDescriptionChars(detail), DETAIL_MAX)}`
  return `${toDescriptionChars(rule.summary)}${fact} (${cite(rule.clause)})`
}
