import { base64url, exportJWK, SignJWT } from 'jose'
import { beforeAll, expect, test } from 'vitest'
import { createDpopNonces } from '../../src/dpop/nonce.js'
import {
  calculateAth,
  createDpopProof,
  type VerifyDpopProofOptions,
  verifyDpopProof,
} from '../../src/dpop/proof.js'
import { calculateJwkThumbprint } from '../../src/dpop/thumbprint.js'
import { rules } from '../../src/errors/rules.js'
import { resourceServerDpopError } from '../../src/errors/www-authenticate.js'
import { createMemoryJtiStore } from '../../src/jti-store.js'
import { expectRule } from '../helpers.js'
import { type TestKey, testKey } from '../keys.js'

const NOW = 1_750_000_000
const TOK = 'https://bank.sandbox.test/token'
let es: TestKey
let ps: TestKey
let ed: TestKey
let rs: TestKey
let n = 0

beforeAll(async () => {
  ;[es, ps, ed, rs] = await Promise.all([
    testKey('ES256', 'a'),
    testKey('PS256', 'b'),
    testKey('EdDSA', 'c'),
    testKey('RS256', 'd'),
  ])
})

const opts = (extra: Partial<VerifyDpopProofOptions> = {}): VerifyDpopProofOptions => ({
  htm: 'POST',
  htu: TOK,
  now: NOW,
  seenJti: createMemoryJtiStore({ now: () => NOW }),
  ...extra,
})

/** PP[...]: a proof with changes; `undefined` removes a member. */
async function pp(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key: TestKey = es,
  alg = 'ES256',
) {
  const payload: Record<string, unknown> = {
    jti: `p${++n}`,
    htm: 'POST',
    htu: TOK,
    iat: NOW,
    ...claims,
  }
  const hdr: Record<string, unknown> = { typ: 'dpop+jwt', alg, jwk: key.publicJwk, ...header }
  for (const o of [payload, hdr])
    for (const [k, v] of Object.entries(o)) if (v === undefined) delete o[k]
  return new SignJWT(payload).setProtectedHeader(hdr as { alg: string }).sign(key.privateKey)
}

test('accepts ES256, PS256 and EdDSA proofs from createDpopProof and returns the thumbprint', async () => {
  for (const [key, alg] of [
    [es, 'ES256'],
    [ps, 'PS256'],
    [ed, 'EdDSA'],
  ] as const) {
    const proof = await createDpopProof({
      key: key.privateKey,
      jwk: key.publicJwk,
      alg,
      htm: 'POST',
      htu: TOK,
      now: NOW,
      jti: `ok-${alg}`,
      accessToken: 'AT',
    })
    const out = await verifyDpopProof(
      proof,
      opts({ accessToken: 'AT', expectedJkt: await calculateJwkThumbprint(key.publicJwk) }),
    )
    expect(out).toMatchObject({ jti: `ok-${alg}`, iat: NOW })
  }
})

test('RFC 9449 section 7.1 ath example', async () => {
  expect(await calculateAth('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe(
    'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
  )
})

test('tolerates query, fragment, host case, default port, extra members, nbf and exp (AS-SC-09/13/14)', async () => {
  await verifyDpopProof(await pp({ htu: `${TOK}?a=1#f` }), opts())
  await verifyDpopProof(
    await pp(
      { htu: 'HTTPS://BANK.sandbox.test:443/token', bar: 1, nbf: NOW, exp: NOW + 300 },
      { foo: 'x' },
    ),
    opts(),
  )
  await verifyDpopProof(await pp({ iat: NOW - 10 }), opts())
  await verifyDpopProof(await pp({ iat: NOW + 10 }), opts())
})

test('none or two DPoP headers (RFC 9449 4.3 item 1)', async () => {
  await expectRule(verifyDpopProof(undefined, opts()), rules.dpopSingleProof)
  const p = await pp()
  await expectRule(verifyDpopProof([p, p], opts()), rules.dpopSingleProof)
})

test('not a JWS (RFC 9449 4.3 item 2)', async () => {
  await expectRule(verifyDpopProof('not.a.jwt', opts()), rules.dpopWellFormed)
})

test('each required member missing (RFC 9449 4.3 item 3)', async () => {
  for (const h of ['typ', 'jwk'])
    await expectRule(
      verifyDpopProof(await pp({}, { [h]: undefined }), opts()),
      rules.dpopRequiredMembers,
    )
  for (const c of ['jti', 'htm', 'htu', 'iat'])
    await expectRule(
      verifyDpopProof(await pp({ [c]: undefined }), opts()),
      rules.dpopRequiredMembers,
    )
  await expectRule(
    verifyDpopProof(await pp(), opts({ accessToken: 'AT' })),
    rules.dpopRequiredMembers,
  )
})

test('typ JWT (RFC 9449 4.3 item 4)', async () => {
  await expectRule(verifyDpopProof(await pp({}, { typ: 'JWT' }), opts()), rules.dpopTyp)
})

test('RS256, HS256 and none (SP 5.4.1-1)', async () => {
  await expectRule(verifyDpopProof(await pp({}, {}, rs, 'RS256'), opts()), rules.dpopAlg)
  const hs = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: es.publicJwk })
    .sign(new Uint8Array(32))
  await expectRule(verifyDpopProof(hs, opts()), rules.dpopAlg)
})

test('flipped signature (RFC 9449 4.3 item 6)', async () => {
  const p = await pp()
  const sig = base64url.decode(p.split('.')[2] as string)
  sig[0] = (sig[0] ?? 0) ^ 1
  const tampered = `${p.split('.').slice(0, 2).join('.')}.${base64url.encode(sig)}`
  await expectRule(verifyDpopProof(tampered, opts()), rules.dpopSignature)
})

test('private jwk (RFC 9449 4.3 item 7)', async () => {
  const priv = await exportJWK(es.privateKey)
  await expectRule(verifyDpopProof(await pp({}, { jwk: priv }), opts()), rules.dpopPublicJwk)
})

test('htm PUT on POST (RFC 9449 4.3 item 8)', async () => {
  await expectRule(verifyDpopProof(await pp({ htm: 'PUT' }), opts()), rules.dpopHtm)
})

test('htu of another path (RFC 9449 4.3 item 9)', async () => {
  await expectRule(
    verifyDpopProof(await pp({ htu: 'https://bank.sandbox.test/par' }), opts()),
    rules.dpopHtu,
  )
})

test('missing or stale nonce gives use_dpop_nonce with a fresh DPoP-Nonce (RFC 9449 8)', async () => {
  const nonces = createDpopNonces(new Uint8Array(32).fill(1))
  const source = { check: nonces.checkDpopNonce, issue: nonces.issueDpopNonce }
  const err = await expectRule(
    verifyDpopProof(await pp(), opts({ nonce: source })),
    rules.dpopNonce,
  )
  const fresh = err.headers['DPoP-Nonce'] as string
  expect(await nonces.checkDpopNonce(fresh, NOW)).toBe(true)
  expect(resourceServerDpopError(err).status).toBe(401)
  const old = await nonces.issueDpopNonce(NOW - 3600)
  await expectRule(
    verifyDpopProof(await pp({ nonce: old }), opts({ nonce: source })),
    rules.dpopNonce,
  )
  await verifyDpopProof(await pp({ nonce: fresh }), opts({ nonce: source }))
})

test('iat an hour off either way (SP 5.3.2.1-13, RFC 9449 4.3 item 11)', async () => {
  await expectRule(verifyDpopProof(await pp({ iat: NOW + 3600 }), opts()), rules.dpopIat)
  await expectRule(verifyDpopProof(await pp({ iat: NOW - 3600 }), opts()), rules.dpopIat)
  await expectRule(
    verifyDpopProof(await pp({ iat: NOW + 61 }), opts({ skewSeconds: 60 })),
    rules.dpopIat,
  )
})

test('same jti twice (RFC 9449 11.1)', async () => {
  const p = await pp()
  const o = opts()
  await verifyDpopProof(p, o)
  await expectRule(verifyDpopProof(p, o), rules.dpopReplay)
})

test('wrong ath, and a key other than the bound one (RFC 9449 4.3 item 12)', async () => {
  await expectRule(
    verifyDpopProof(await pp({ ath: await calculateAth('other') }), opts({ accessToken: 'AT' })),
    rules.dpopAth,
  )
  const err = await expectRule(
    verifyDpopProof(await pp(), opts({ expectedJkt: await calculateJwkThumbprint(ps.publicJwk) })),
    rules.dpopKeyBinding,
  )
  expect(resourceServerDpopError(err).headers['WWW-Authenticate']).toContain(
    'error="invalid_token"',
  )
})
