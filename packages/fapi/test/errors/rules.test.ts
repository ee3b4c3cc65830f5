import { isOAuthErrorCode } from '@sandbox/spec-types/oauth/error'
import { expect, describe as suite, test } from 'vitest'
import { cite, describe, ERROR_DESCRIPTION_CHARSET, echo } from '../../src/errors/describe.js'
import { OAuthError } from '../../src/errors/oauth-error.js'
import { allRules, ruleById, rules } from '../../src/errors/rules.js'
import { renderChallenge, resourceServerDpopError } from '../../src/errors/www-authenticate.js'

suite('rules registry', () => {
  test.each(allRules.map((r) => [r.id, r] as const))(
    '%s renders within RFC 6749 5.2',
    (_, rule) => {
      expect(ERROR_DESCRIPTION_CHARSET.test(describe(rule))).toBe(true)
      expect(
        ERROR_DESCRIPTION_CHARSET.test(describe(rule, `got ${echo('"\\\u00a7\n\u201c')}`)),
      ).toBe(true)
      expect(isOAuthErrorCode(rule.error)).toBe(true)
      // AS-CA-03, MS-JAR-02, RS-04, CL-11: the row ids of fapi2-requirements.md.
      expect(rule.id).toMatch(/^(?:(?:AS|MS)-[A-Z]+|RS|CL)-\d\d$/)
    },
  )

  test('invalid_client and invalid_token are 401, everything else here 400', () => {
    for (const rule of allRules) {
      const unauthorized = rule.error === 'invalid_client' || rule.error === 'invalid_token'
      expect(rule.status).toBe(unauthorized ? 401 : 400)
    }
  })

  test('renders the house example', () => {
    expect(describe(rules.pkceS256, "got 'plain'")).toBe(
      "code_challenge_method must be S256 with a 43 character base64url code_challenge, got 'plain' (FAPI 2.0 SP 5.3.2.2-5)",
    )
    expect(cite({ spec: 'RFC 9449', section: '4.3', item: 4 })).toBe('RFC 9449 section 4.3 item 4')
  })

  test('echo reduces and truncates client values', () => {
    const out = echo(`${'x'.repeat(100)}"`)
    expect(out.length).toBeLessThanOrEqual(62)
    expect(ERROR_DESCRIPTION_CHARSET.test(out)).toBe(true)
  })

  test('ruleById finds direct and related rows', () => {
    expect(ruleById('AS-PAR-07')).toEqual([rules.pkceS256])
    expect(ruleById('AS-CLK-02')).toContain(rules.clientAssertionIssuedInFuture)
    expect(ruleById('AS-NOPE-01')).toEqual([])
  })

  test('OAuthError carries rule, detail and headers', () => {
    const err = new OAuthError(rules.dpopNonce, 'nonce missing', { 'DPoP-Nonce': 'n1' })
    expect(err).toBeInstanceOf(Error)
    expect(err.toJSON()).toEqual({ error: 'use_dpop_nonce', error_description: err.message })
    expect(err.headers['DPoP-Nonce']).toBe('n1')
  })
})

suite('WWW-Authenticate', () => {
  test('renders a DPoP challenge with algs', () => {
    expect(
      renderChallenge({
        scheme: 'DPoP',
        error: 'invalid_dpop_proof',
        error_description: 'a "b"',
        algs: ['ES256', 'PS256', 'EdDSA'],
      }),
    ).toBe(`DPoP error="invalid_dpop_proof", error_description="a 'b'", algs="ES256 PS256 EdDSA"`)
    expect(renderChallenge({ scheme: 'Bearer' })).toBe('Bearer')
  })

  test('RS form of DPoP errors is 401 and keeps DPoP-Nonce', () => {
    const rs = resourceServerDpopError(
      new OAuthError(rules.dpopNonce, undefined, { 'DPoP-Nonce': 'n' }),
    )
    expect(rs.status).toBe(401)
    expect(rs.headers['DPoP-Nonce']).toBe('n')
    expect(rs.headers['WWW-Authenticate']).toMatch(
      /^DPoP error="use_dpop_nonce", error_description="[^"]+", algs="ES256 PS256 EdDSA"$/,
    )
    expect(
      resourceServerDpopError(new OAuthError(rules.dpopKeyBinding)).headers['WWW-Authenticate'],
    ).toContain('error="invalid_token"')
  })
})
