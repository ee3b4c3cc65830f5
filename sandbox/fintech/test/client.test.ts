/**
 * The fintech's client steps against a scripted bank that misbehaves the ways the FAPI 2.0 client
 * tests ask about (fapi2-requirements.md section 3, B.2): every exchange is expected exactly, and
 * an exchange left unused fails the test.
 */
import { createJarmResponse } from '@sandbox/fapi/jarm'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { afterEach, describe, expect, test } from 'vitest'
import {
  BankRefusal,
  type PendingAuthorization,
  processTokenResponse,
  validateAuthResponse,
} from '../src/client/authorization.js'
import { BankClient } from '../src/client/bank-client.js'
import type { HttpsRequest, HttpsResponse } from '../src/client/https.js'
import type { ProviderConfig } from '../src/config.js'
import { fintechRules } from '../src/rules.js'
import { ISSUER, json, metadataFor, testProvider } from './fixtures.js'

const NOW = 1_800_000_000

interface Exchange {
  url: string
  check?: (init: HttpsRequest) => void
  answer: HttpsResponse
}

/** A bank that answers exactly the listed exchanges, in order. */
function scriptedBank(exchanges: Exchange[]) {
  const queue = [...exchanges]
  const transport = async (url: string, init: HttpsRequest = {}) => {
    const next = queue.shift()
    if (next === undefined) throw new Error(`unexpected request to ${url}`)
    expect(url).toBe(next.url)
    next.check?.(init)
    return next.answer
  }
  return { transport, unused: () => queue.map((exchange) => exchange.url) }
}

let pendingScripts: Array<() => string[]> = []
afterEach(() => {
  for (const unused of pendingScripts) expect(unused(), 'exchanges never made').toEqual([])
  pendingScripts = []
})

async function bankKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'bank-1', alg: 'ES256', use: 'sig' }
  return { privateKey, jwk }
}

function client(exchanges: Exchange[], overrides: Partial<ProviderConfig> = {}): BankClient {
  const bank = scriptedBank(exchanges)
  pendingScripts.push(bank.unused)
  const provider = testProvider(overrides)
  return new BankClient(provider, undefined, { transport: bank.transport, now: () => NOW })
}

const discovery = (issuer = ISSUER): Exchange => ({
  url: `${ISSUER}/.well-known/openid-configuration`,
  answer: json(200, metadataFor(issuer)),
})
const keys = (jwks: { keys: JWK[] }): Exchange => ({
  url: `${ISSUER}/jwks`,
  answer: json(200, jwks),
})

const pending: PendingAuthorization = {
  interactionId: '0b9f3c1e-5a4d-4c59-9a53-1d2e3f4a5b6c',
  bankId: 'aurora',
  issuer: ISSUER,
  state: 'state-1',
  nonce: 'nonce-1',
  codeVerifier: 'v'.repeat(43),
  redirectUri: 'https://fintech.test/callback',
  requestUri: 'urn:ietf:params:oauth:request_uri:x',
  responseMode: 'query',
  expiresAt: NOW + 60,
}

describe('discovery (CL-01)', () => {
  test('metadata whose issuer is not the configured one is refused', async () => {
    const bank = client([discovery('https://evil.test')])
    await expect(bank.metadata()).rejects.toMatchObject({ rule: fintechRules.metadataIssuer })
  })

  test('metadata without a PAR endpoint is refused', async () => {
    const { pushed_authorization_request_endpoint: _, ...rest } = metadataFor(ISSUER)
    const bank = client([
      { url: `${ISSUER}/.well-known/openid-configuration`, answer: json(200, rest) },
    ])
    await expect(bank.metadata()).rejects.toMatchObject({ rule: fintechRules.metadataMembers })
  })
})

describe('the authorization response (CL-04, CL-05, MS-JARM-06)', () => {
  const bank = () => client([])
  test('accepts code, state and the right iss', async () => {
    const validated = await validateAuthResponse(
      bank(),
      pending,
      { code: 'c', state: 'state-1', iss: ISSUER },
      NOW,
    )
    expect(validated.code).toBe('c')
  })

  test.each([
    ['no iss', { code: 'c', state: 'state-1' }, fintechRules.issuerMissing],
    [
      'another iss',
      { code: 'c', state: 'state-1', iss: 'https://evil.test' },
      fintechRules.issuerMismatch,
    ],
    ['no state', { code: 'c', iss: ISSUER }, fintechRules.stateMissing],
    ['another state', { code: 'c', state: 'other', iss: ISSUER }, fintechRules.stateUnknown],
  ])('refuses a response with %s', async (_, query, rule) => {
    await expect(validateAuthResponse(bank(), pending, query, NOW)).rejects.toMatchObject({ rule })
  })

  test('believes an error response only with the right iss and state', async () => {
    await expect(
      validateAuthResponse(
        bank(),
        pending,
        { error: 'access_denied', state: 'state-1', iss: ISSUER },
        NOW,
      ),
    ).rejects.toBeInstanceOf(BankRefusal)
    await expect(
      validateAuthResponse(bank(), pending, { error: 'access_denied', state: 'state-1' }, NOW),
    ).rejects.toMatchObject({ rule: fintechRules.issuerMissing })
  })

  test('a JARM response is verified with the bank keys; a plain query is refused where JARM was asked', async () => {
    const { privateKey, jwk } = await bankKey()
    const jarm = { ...pending, responseMode: 'jwt' as const }
    const signed = await createJarmResponse({
      issuer: ISSUER,
      clientId: 'demo-fintech',
      now: NOW,
      key: { key: privateKey, alg: 'ES256', kid: 'bank-1' },
      params: { code: 'c', state: 'state-1' },
    })
    const bank = client([discovery(), keys({ keys: [jwk] })])
    expect((await validateAuthResponse(bank, jarm, { response: signed }, NOW)).code).toBe('c')
    await expect(
      validateAuthResponse(bank, jarm, { code: 'c', state: 'state-1', iss: ISSUER }, NOW),
    ).rejects.toMatchObject({ rule: fintechRules.jarmRequired })
    const forged = await createJarmResponse({
      issuer: 'https://evil.test',
      clientId: 'demo-fintech',
      now: NOW,
      key: { key: privateKey, alg: 'ES256', kid: 'bank-1' },
      params: { code: 'c', state: 'state-1' },
    })
    await expect(validateAuthResponse(bank, jarm, { response: forged }, NOW)).rejects.toMatchObject(
      {
        rule: { id: 'MS-JARM-06' },
      },
    )
  })
})

describe('the token response', () => {
  const ok = (body: Record<string, unknown>) => json(200, { access_token: 'at', ...body })

  test('reads token_type case-insensitively (CL-09)', async () => {
    const tokens = await processTokenResponse(
      client([]),
      ok({ token_type: 'dPoP', expires_in: 60 }),
      NOW,
    )
    expect(tokens).toMatchObject({ accessToken: 'at', accessExpiresAt: NOW + 60 })
  })

  test('copes without expires_in (CL-12)', async () => {
    const tokens = await processTokenResponse(client([]), ok({ token_type: 'DPoP' }), NOW)
    expect(tokens.accessExpiresAt).toBeUndefined()
  })

  test('refuses a Bearer token from a bank that binds with DPoP (CL-07)', async () => {
    await expect(
      processTokenResponse(client([]), ok({ token_type: 'Bearer' }), NOW),
    ).rejects.toMatchObject({ rule: fintechRules.tokenBinding })
  })

  test('validates the ID token: a wrong nonce is refused (CL-11)', async () => {
    const { privateKey, jwk } = await bankKey()
    const { createIdToken } = await import('@sandbox/fapi/id-token')
    const idToken = await createIdToken({
      issuer: ISSUER,
      clientId: 'demo-fintech',
      subject: 'alice',
      nonce: 'not-the-one',
      authTime: NOW,
      now: NOW,
      lifetimeSeconds: 300,
      key: { key: privateKey, alg: 'ES256', kid: 'bank-1' },
    })
    const bank = client([discovery(), keys({ keys: [jwk] })])
    await expect(
      processTokenResponse(bank, ok({ token_type: 'DPoP', id_token: idToken }), NOW, {
        nonce: 'nonce-1',
      }),
    ).rejects.toMatchObject({ rule: { id: 'CL-11' } })
  })
})

describe('DPoP nonces (CL-08, CL-09)', () => {
  test('a resource server nonce challenge with a lower-case scheme is answered once, with a new proof', async () => {
    const proofs: string[] = []
    const url = 'https://api.bank.test/aurora/accounts'
    const bank = client([
      {
        url,
        check: (init) => proofs.push(String(init.headers?.dpop)),
        answer: {
          status: 401,
          headers: { 'www-authenticate': 'dpop error="use_dpop_nonce"', 'dpop-nonce': 'n-1' },
          body: '',
        },
      },
      {
        url,
        check: (init) => {
          proofs.push(String(init.headers?.dpop))
          expect(init.headers?.authorization).toBe('DPoP at')
        },
        answer: json(200, { accounts: [] }),
      },
    ])
    const res = await bank.resource('GET', url, 'at')
    expect(res.status).toBe(200)
    const claims = proofs.map((proof) =>
      JSON.parse(Buffer.from(proof.split('.')[1] ?? '', 'base64url').toString()),
    )
    expect(claims[0].nonce).toBeUndefined()
    expect(claims[1].nonce).toBe('n-1')
    expect(claims[1].jti).not.toBe(claims[0].jti)
    expect(claims[1].ath).toBeDefined()
  })
})
