/** The token endpoint at the nonce bank (fjord) and at the mTLS banks (meridian, and a variant). */
import { rules } from '@sandbox/fapi/errors/rules'
import { calculateCertificateThumbprint } from '@sandbox/fapi/mtls'
import type { PeerCertificate } from '@sandbox/service-kit/peer-certificate'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BankContext } from '../../src/bank-context.js'
import { tokenRules } from '../../src/rules/token.js'
import { buildTestBankOp, messageSigningBank, mtlsBank, type TestBankOp } from '../helpers.js'
import {
  contextOf,
  type DpopKey,
  expectOAuthError,
  generateEs256,
  registerClient,
  type TestClient,
} from '../oauth-helpers.js'
import {
  clientAuthFields,
  codeExchangeFields,
  requestToken,
  seedCode,
  testCertificate,
} from '../token-fixtures.js'

describe('fjord: DPoP with server nonces (AS-TOK-07)', () => {
  let op: TestBankOp
  let bank: BankContext
  let client: TestClient
  let key: DpopKey

  beforeAll(async () => {
    op = await buildTestBankOp()
    bank = contextOf(op, messageSigningBank().id)
    client = await registerClient(bank)
    key = await generateEs256()
  })
  afterAll(() => op.close())

  test('a proof without nonce gets use_dpop_nonce and DPoP-Nonce, the retry succeeds with the code intact (AS-TOK-07, AS-SC-10)', async () => {
    const { code } = await seedCode(bank, client, { dpopKey: key })
    const first = await requestToken(op, bank, await codeExchangeFields(bank, client, code), {
      dpopKey: key,
    })
    expectOAuthError(first, { rule: rules.dpopNonce, headers: { 'dpop-nonce': /.+/ } })
    const nonce = String(first.headers['dpop-nonce'])
    const retry = await requestToken(op, bank, await codeExchangeFields(bank, client, code), {
      dpopKey: key,
      nonce,
    })
    expect(retry.statusCode).toBe(200)
    expect(retry.json().token_type).toBe('DPoP')
    expect(retry.headers['dpop-nonce']).toBeDefined()
  })

  test('a stale nonce gets a fresh one (AS-SC-10)', async () => {
    const res = await requestToken(
      op,
      bank,
      { ...(await clientAuthFields(bank, client)), grant_type: 'client_credentials' },
      { dpopKey: key, nonce: 'stale' },
    )
    expectOAuthError(res, { rule: rules.dpopNonce, headers: { 'dpop-nonce': /.+/ } })
  })
})

describe('meridian: certificate-bound tokens over mutual TLS (RFC 8705 section 3)', () => {
  let op: TestBankOp
  let bank: BankContext
  let client: TestClient
  let presented: PeerCertificate | undefined

  beforeAll(async () => {
    op = await buildTestBankOp({
      deps: { peerCertificate: () => presented, listenerOf: () => 'mtls' },
    })
    bank = contextOf(op, mtlsBank().id)
    client = await registerClient(bank)
  })
  afterAll(() => op.close())

  test('the code exchange answers a Bearer token bound to the certificate (AS-TOK-01, AS-TOK-08)', async () => {
    presented = testCertificate(1)
    const { code } = await seedCode(bank, client)
    const res = await requestToken(op, bank, await codeExchangeFields(bank, client, code))
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.token_type).toBe('Bearer')
    expect(decodeJwt(body.access_token).cnf).toEqual({
      'x5t#S256': await calculateCertificateThumbprint(testCertificate(1).der),
    })
    const refreshed = await requestToken(op, bank, {
      ...(await clientAuthFields(bank, client)),
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token,
    })
    expect(refreshed.statusCode).toBe(200)
    expect(refreshed.json().token_type).toBe('Bearer')
  })

  test('a refresh with another certificate (AS-RT-02)', async () => {
    presented = testCertificate(1)
    const { code } = await seedCode(bank, client)
    const res = await requestToken(op, bank, await codeExchangeFields(bank, client, code))
    presented = testCertificate(2)
    const refreshed = await requestToken(op, bank, {
      ...(await clientAuthFields(bank, client)),
      grant_type: 'refresh_token',
      refresh_token: res.json().refresh_token,
    })
    expectOAuthError(refreshed, { rule: tokenRules.refreshTokenBinding })
  })

  test('no certificate: tls_client_auth fails first (AS-TOK-02, AS-CA-12)', async () => {
    presented = undefined
    const res = await requestToken(op, bank, {
      ...(await clientAuthFields(bank, client)),
      grant_type: 'client_credentials',
    })
    expectOAuthError(res, { rule: rules.tlsClientCertificateMissing })
  })
})

describe('an mTLS-bound bank whose clients use private_key_jwt', () => {
  let op: TestBankOp
  let bank: BankContext
  let client: TestClient
  const meridian = mtlsBank()

  beforeAll(async () => {
    op = await buildTestBankOp({
      banks: [{ ...meridian, profile: { ...meridian.profile, clientAuth: 'private_key_jwt' } }],
    })
    bank = contextOf(op, meridian.id)
    client = await registerClient(bank)
  })
  afterAll(() => op.close())

  test('a request off the mutual-TLS listener gets no token (AS-TOK-02)', async () => {
    const res = await requestToken(op, bank, {
      ...(await clientAuthFields(bank, client)),
      grant_type: 'client_credentials',
    })
    expectOAuthError(res, { rule: tokenRules.certificateRequired })
  })
})
