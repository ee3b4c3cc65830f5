import { expect, test } from 'vitest'
import { rules } from '../src/errors/rules.js'
import { calculatePkceChallenge, checkPkceChallenge, checkPkceVerifier } from '../src/pkce.js'
import { expectRule } from './helpers.js'

// RFC 7636 Appendix B
const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'

test('RFC 7636 Appendix B vector', async () => {
  expect(await calculatePkceChallenge(verifier)).toBe(challenge)
  await checkPkceVerifier(verifier, challenge)
  checkPkceChallenge({ code_challenge: challenge, code_challenge_method: 'S256' })
})

test('PAR rejects a missing code_challenge (SP 5.3.2.2-5)', async () => {
  await expectRule(() => checkPkceChallenge({ code_challenge_method: 'S256' }), rules.pkceS256)
})

test('PAR rejects code_challenge_method=plain (SP 5.3.2.2-5)', async () => {
  const err = await expectRule(
    () => checkPkceChallenge({ code_challenge: challenge, code_challenge_method: 'plain' }),
    rules.pkceS256,
  )
  expect(err.message).toContain("got 'plain'")
})

test('PAR rejects a challenge without method (SP 5.3.2.2-5)', async () => {
  await expectRule(() => checkPkceChallenge({ code_challenge: challenge }), rules.pkceS256)
})

test('PAR rejects a challenge that is not 43 base64url chars (SP 5.3.2.2-5)', async () => {
  await expectRule(
    () => checkPkceChallenge({ code_challenge: `${challenge}A`, code_challenge_method: 'S256' }),
    rules.pkceS256,
  )
  await expectRule(
    () =>
      checkPkceChallenge({
        code_challenge: `${challenge.slice(1)}+`,
        code_challenge_method: 'S256',
      }),
    rules.pkceS256,
  )
})

test('token rejects a missing, malformed or wrong verifier (RFC 7636 4.6)', async () => {
  await expectRule(checkPkceVerifier(undefined, challenge), rules.pkceVerifier)
  await expectRule(checkPkceVerifier('short', challenge), rules.pkceVerifier)
  await expectRule(checkPkceVerifier(verifier.replace('d', 'e'), challenge), rules.pkceVerifier)
})
