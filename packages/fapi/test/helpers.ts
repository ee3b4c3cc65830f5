import { expect } from 'vitest'
import { cite } from '../src/errors/describe.js'
import { OAuthError, type Rule } from '../src/errors/oauth-error.js'

/** Asserts a rejection: rule id, error code, status and the cited clause in the message. */
export async function expectRule(
  action: Promise<unknown> | (() => unknown),
  rule: Rule,
): Promise<OAuthError> {
  let caught: unknown
  try {
    await (typeof action === 'function' ? action() : action)
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(OAuthError)
  const err = caught as OAuthError
  expect(err.rule).toBe(rule)
  expect(err.rule.id).toBe(rule.id)
  expect(err.rule.error).toBe(rule.error)
  expect(err.rule.status).toBe(rule.status)
  expect(err.message).toContain(`(${cite(rule.clause)})`)
  return err
}
