import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import { issueAccessToken } from '../src/access-token.js'
import { createDpopProof } from '../src/dpop/proof.js'
import { calculateJwkThumbprint } from '../src/dpop/thumbprint.js'
import type { Rule } from '../src/errors/oauth-error.js'
import { rules } from '../src/errors/rules.js'
import { resourceChallenge } from '../src/errors/www-authenticate.js'
import { createMemoryJtiStore } from '../src/jti-store.js'
import { calculateCertificateThumbprint } from '../src/mtls.js'
import {
  authorizeResourceRequest,
  type ResourceRequest,
  type ResourceServerPolicy,
} from '../src/resource-request.js'
import { expectRule } from './helpers.js'
import { type TestKey, testKey } from './keys.js'

const ISS = 'https://bank.sandbox.test/aurora'
const RS = 'https://api.sandbox.test/aurora'
const URL_ = `${RS}/accounts`
const NOW = 1_750_000_000
const CERT = new Uint8Array(48).fill(7)
let bank: TestKey
let holder: TestKey
let jkt: string

beforeAll(async () => {
  ;[bank, holder] = await Promise.all([testKey('ES256', 'bank-1'), testKey('ES256', 'holder')])
  const { kid: _kid, ...jwk } = holder.publicJwk
  jkt = await calculateJwkThumbprint(jwk)
})

function policy(extra: Partial<ResourceServerPolicy> = {}): ResourceServerPolicy {
  return {
    senderConstraint: 'dpop',
    issuer: ISS,
    audience: RS,
    keys: { keys: [bank.publicJwk] },
    now: NOW,
    seenJti: createMemoryJtiStore({ now: () => NOW }),
    isRevoked: async () => false,
    grantInactive: async () => undefined,
    ...extra,
  }
}

async function token(cnf: { jkt: string } | { 'x5t#S256': string } = { jkt }) {
  const issued = await issueAccessToken({
    issuer: ISS,
    audience: RS,
    clientId: 'c1',
    subject: 'cus-1',
    grantId: 'g1',
    cnf,
    now: NOW,
    lifetimeSeconds: 300,
    key: { key: bank.privateKey, alg: 'ES256', kid: 'bank-1' },
  })
  return issued.token
}

async function dpopRequest(accessToken: string, extra: Partial<ResourceRequest> = {}) {
  const { kid: _kid, ...jwk } = holder.publicJwk
  const proof = await createDpopProof({
    key: holder.privateKey,
    jwk,
    alg: 'ES256',
    htm: 'GET',
    htu: URL_,
    now: NOW,
    jti: randomUUID(),
    accessToken,
  })
  return {
    method: 'GET',
    url: URL_,
    authorization: `DPoP ${accessToken}`,
    dpop: [proof],
    ...extra,
  } satisfies ResourceRequest
}

describe('authorizeResourceRequest', () => {
  test('accepts a DPoP-bound token with its proof and reports every rule it passed', async () => {
    const passed: Rule[] = []
    const at = await token()
    const { claims, proof } = await authorizeResourceRequest(
      await dpopRequest(at),
      policy(),
      (rule) => passed.push(rule),
    )
    expect(claims.sub).toBe('cus-1')
    expect(proof?.jkt).toBe(jkt)
    expect(passed).toEqual(
      expect.arrayContaining([
        rules.accessTokenAudience,
        rules.dpopAth,
        rules.resourceTokenInvalid,
      ]),
    )
  })

  test('no Authorization header (RS-03)', async () => {
    await expectRule(
      authorizeResourceRequest({ ...(await dpopRequest('x')), authorization: undefined }, policy()),
      rules.resourceTokenMissing,
    )
  })

  test('a token in the query or body (RS-01)', async () => {
    const request = await dpopRequest(await token(), { tokenOutsideHeader: 'query' })
    await expectRule(authorizeResourceRequest(request, policy()), rules.resourceTokenOutsideHeader)
  })

  test('a header that is not a scheme and a token (RS-01)', async () => {
    const request = await dpopRequest('x', { authorization: 'DPoP a b' })
    await expectRule(
      authorizeResourceRequest(request, policy()),
      rules.resourceAuthorizationMalformed,
    )
  })

  test('Bearer at a DPoP bank, DPoP at an mTLS bank (RS-06)', async () => {
    const at = await token()
    await expectRule(
      authorizeResourceRequest(await dpopRequest(at, { authorization: `Bearer ${at}` }), policy()),
      rules.resourceWrongScheme,
    )
    await expectRule(
      authorizeResourceRequest(await dpopRequest(at), policy({ senderConstraint: 'mtls' })),
      rules.resourceWrongScheme,
    )
  })

  test('the DPoP scheme without a proof (RS-07)', async () => {
    const request = await dpopRequest(await token(), { dpop: [] })
    await expectRule(authorizeResourceRequest(request, policy()), rules.resourceProofMissing)
  })

  test('a revoked token, and a token whose grant ended (RS-04)', async () => {
    const at = await token()
    await expectRule(
      authorizeResourceRequest(await dpopRequest(at), policy({ isRevoked: async () => true })),
      rules.resourceTokenInvalid,
    )
    const error = await expectRule(
      authorizeResourceRequest(
        await dpopRequest(at),
        policy({ grantInactive: async () => 'revoked' }),
      ),
      rules.resourceTokenInvalid,
    )
    expect(error.message).toContain('its grant is revoked')
  })

  test('a certificate-bound token needs its certificate on the connection (RS-09)', async () => {
    const at = await token({ 'x5t#S256': await calculateCertificateThumbprint(CERT) })
    const bearer = { method: 'GET', url: URL_, authorization: `Bearer ${at}`, dpop: [] }
    const mtls = policy({ senderConstraint: 'mtls' })
    expect(
      (await authorizeResourceRequest({ ...bearer, certificate: CERT }, mtls)).claims.sub,
    ).toBe('cus-1')
    await expectRule(authorizeResourceRequest(bearer, mtls), rules.certificateBinding)
    await expectRule(
      authorizeResourceRequest({ ...bearer, certificate: new Uint8Array(48) }, mtls),
      rules.certificateBinding,
    )
  })
})

describe('resourceChallenge', () => {
  test('a bare challenge without error when no token came (RFC 6750 section 3.1)', async () => {
    const error = await expectRule(
      authorizeResourceRequest({ ...(await dpopRequest('x')), authorization: undefined }, policy()),
      rules.resourceTokenMissing,
    )
    expect(resourceChallenge(error, 'dpop')).toEqual({
      status: 401,
      headers: { 'WWW-Authenticate': 'DPoP algs="ES256 PS256 EdDSA"' },
      bare: true,
    })
    expect(resourceChallenge(error, 'mtls').headers['WWW-Authenticate']).toBe('Bearer')
  })

  test('a proof failure is 401 at a resource, the AS status notwithstanding (RFC 9449 section 7.1)', async () => {
    const error = await expectRule(
      authorizeResourceRequest(await dpopRequest(await token(), { dpop: [] }), policy()),
      rules.resourceProofMissing,
    )
    const { status, headers } = resourceChallenge(error, 'dpop')
    expect(status).toBe(401)
    expect(headers['WWW-Authenticate']).toMatch(
      /^DPoP error="invalid_dpop_proof", error_description="/,
    )
  })
})
