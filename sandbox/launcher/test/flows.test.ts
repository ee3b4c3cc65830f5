/**
 * The authorization-code flow end to end, over real TLS trusting only the sandbox CA, once per
 * seeded bank profile, as a client does it: discovery, registration (RFC 7591), PAR (RFC 9126),
 * the authorization endpoint, the token endpoint, userinfo, refresh, introspection (RFC 7662,
 * RFC 9701) and revocation (RFC 7009). docs/flows/ describes each step of these tests.
 */
import { randomUUID } from 'node:crypto'
import { tokenRules } from '@sandbox/bank-op/rules/token'
import { type AccessTokenClaims, verifyAccessToken } from '@sandbox/fapi/access-token'
import { rules } from '@sandbox/fapi/errors/rules'
import { validateIdToken } from '@sandbox/fapi/id-token'
import { verifyIntrospectionJwt } from '@sandbox/fapi/introspection'
import type { Balance } from '@sandbox/spec-types/banking/balance'
import type { Bank } from '@sandbox/spec-types/banking/bank'
import type { TransactionList } from '@sandbox/spec-types/banking/transaction'
import type { TokenResponseOpen } from '@sandbox/spec-types/oauth/token'
import { beforeAll, describe, expect, test } from 'vitest'
import type { RunningSandbox } from '../src/launch.js'
import {
  type BankView,
  discoverBank,
  FlowClient,
  nowSeconds,
  type PendingAuthorization,
} from './flow-client.js'
import { expectOAuthError, type HttpsResponse, headerOf, send } from './https-client.js'
import { useLaunchedSandbox } from './launched-sandbox.js'
import { checkboxValues, PageBrowser, selectedOption } from './page-browser.js'

const launched = useLaunchedSandbox('launch-flows')
let sandbox: RunningSandbox

beforeAll(() => {
  sandbox = launched.sandbox
})

function urlOf(name: string): string {
  const service = sandbox.services.find((candidate) => candidate.name === name)
  if (service === undefined) throw new Error(`no ${name} listener`)
  return service.url
}

function seededBank(id: string): Bank {
  const found = sandbox.banks.find(({ bank }) => bank.id === id)
  if (found === undefined) throw new Error(`the seed has no bank ${id}`)
  return found.bank
}

/** One published sandbox login (README, "Banks and test users"). */
const ALICE = { username: 'alice', password: 'alice-sandbox', oneTimeCode: '246810' }

/** RAR (RFC 9396) for read access to accounts; the customer picks the accounts at consent. */
const ACCOUNT_ACCESS = JSON.stringify([
  { type: 'account_information', actions: ['list_accounts', 'read_balances'] },
])

/** What a client of `bankId` sees: discovery and JWKS, then its own registration. */
async function connect(
  bankId: string,
  options: {
    certificate?: boolean
    automaticConsent?: 'approve'
    /** More client metadata to register (RFC 7591 section 2). */
    metadata?: Record<string, unknown>
  } = {},
): Promise<FlowClient> {
  const ca = sandbox.pki.ca.certPem
  const bank: BankView = await discoverBank(`${urlOf('bank-op')}/${bankId}`, ca)
  const client = new FlowClient({
    bank,
    ca,
    certificate: options.certificate ? sandbox.pki.clients.fintech : undefined,
  })
  const registered = await client.register({
    ...options.metadata,
    ...(options.automaticConsent === undefined
      ? {}
      : { sandbox_automatic_consent: options.automaticConsent }),
  })
  expect(registered.status, registered.body).toBe(201)
  expect(headerOf(registered, 'cache-control')).toBe('no-store')
  return client
}

/** PAR for alice's accounts: 201 with a request_uri that lives less than 600 s (AS-PAR-01/02). */
async function pushForAlice(client: FlowClient): Promise<PendingAuthorization> {
  const { res, pending } = await client.push({
    scope: 'openid accounts',
    authorization_details: ACCOUNT_ACCESS,
    login_hint: ALICE.username,
  })
  expect(res.status, res.body).toBe(201)
  expect(headerOf(res, 'cache-control')).toBe('no-store')
  expect(pending.requestUri).toMatch(/^urn:ietf:params:oauth:request_uri:/)
  expect(res.json().expires_in).toBeLessThan(600)
  return pending
}

/**
 * The browser's visit to the authorization endpoint of a client with automatic consent: `303`
 * straight to the callback (docs/headless-consent.md), and the code the client reads there.
 */
async function authorizeHeadless(
  client: FlowClient,
  pending: PendingAuthorization,
): Promise<{ code: string; jarm: boolean; query: URLSearchParams }> {
  const res = await new PageBrowser(sandbox.pki.ca.certPem).get(client.authorizationUrl(pending))
  expect(res.status, res.body).toBe(303)
  const location = headerOf(res, 'location') ?? ''
  const { params, jarm } = await client.callback(location)
  expect(params.state).toBe(pending.state)
  expect(params.code).toMatch(/^[A-Za-z0-9_-]{43}$/)
  return { code: params.code ?? '', jarm, query: new URL(location).searchParams }
}

/** The access token as the bank's resource server checks it (RFC 9068 section 4). */
function accessTokenClaims(client: FlowClient, token: string): Promise<AccessTokenClaims> {
  const bankId = client.bank.issuer.split('/').pop()
  return verifyAccessToken({
    token,
    issuer: client.bank.issuer,
    audience: `${urlOf('bank-api')}/${bankId}`,
    now: nowSeconds(),
    keys: client.bank.jwks,
  })
}

function tokensOf(res: HttpsResponse): TokenResponseOpen {
  expect(res.status, res.body).toBe(200)
  expect(headerOf(res, 'cache-control')).toBe('no-store')
  return res.json() as unknown as TokenResponseOpen
}

/** The accounts the `account_information` detail of a token or grant names. */
function grantedAccounts(details: unknown): string[] {
  const detail = (details as Array<{ type: string; accounts?: string[] }> | undefined)?.find(
    ({ type }) => type === 'account_information',
  )
  return detail?.accounts ?? []
}

interface Profile {
  bankId: string
  /** What the seed says about the bank: the test documents which profile it walks. */
  expected: Partial<Bank['profile']>
  certificate: boolean
}

const PROFILES: readonly Profile[] = [
  {
    bankId: 'aurora',
    expected: {
      senderConstraint: 'dpop',
      clientAuth: 'private_key_jwt',
      dpopNonceRequired: false,
      requireSignedRequestObject: false,
      authorizationResponseMode: 'query',
      accessTokenLifetimeSeconds: 600,
    },
    certificate: false,
  },
  {
    bankId: 'fjord',
    expected: {
      senderConstraint: 'dpop',
      clientAuth: 'private_key_jwt',
      dpopNonceRequired: true,
      requireSignedRequestObject: true,
      authorizationResponseMode: 'jwt',
      accessTokenLifetimeSeconds: 120,
    },
    certificate: false,
  },
  {
    bankId: 'meridian',
    expected: {
      senderConstraint: 'mtls',
      clientAuth: 'tls_client_auth',
      accessTokenLifetimeSeconds: 300,
    },
    certificate: true,
  },
]

describe.each(PROFILES)('the code flow at $bankId over real TLS', (profile) => {
  test('register, push, authorize, token, userinfo, refresh, introspect, revoke', async () => {
    const { profile: seeded } = seededBank(profile.bankId)
    expect(seeded).toMatchObject(profile.expected)
    const dpop = seeded.senderConstraint === 'dpop'

    // register: the bank fills in its policy (DCR-09, DCR-10).
    const client = await connect(profile.bankId, {
      certificate: profile.certificate,
      automaticConsent: 'approve',
    })
    expect(client.registration).toMatchObject({
      require_pushed_authorization_requests: true,
      ...(dpop
        ? { dpop_bound_access_tokens: true }
        : { tls_client_certificate_bound_access_tokens: true }),
      ...(seeded.requireSignedRequestObject
        ? { require_signed_request_object: true, response_modes: ['jwt'] }
        : {}),
    })

    // par: at a nonce bank the first proof is answered use_dpop_nonce, the retry succeeds.
    const pending = await pushForAlice(client)
    expect(client.nonceChallenges).toBe(seeded.dpopNonceRequired ? 1 : 0)

    // authorize: headless consent, 303 to the callback (AS-AZ-10).
    const { code, jarm, query } = await authorizeHeadless(client, pending)
    if (seeded.authorizationResponseMode === 'jwt') {
      // JARM: only `response` travels; iss, state and code are inside the signed JWT (AS-ISS-02).
      expect(jarm).toBe(true)
      expect([...query.keys()]).toEqual(['response'])
    } else {
      // RFC 9207: iss beside code and state, nothing else in the front channel (AS-AZ-11).
      expect(jarm).toBe(false)
      expect(Object.fromEntries(query)).toEqual({
        code,
        state: pending.state,
        iss: client.bank.issuer,
      })
    }

    // token: a sender-constrained access token, an ID token and a refresh token (AS-TOK-01).
    const tokens = tokensOf(await client.exchangeCode(code, pending))
    expect(tokens).toMatchObject({
      token_type: dpop ? 'DPoP' : 'Bearer',
      expires_in: seeded.accessTokenLifetimeSeconds,
      scope: 'openid accounts',
    })
    const accessToken = tokens.access_token
    const refreshToken = tokens.refresh_token ?? ''
    expect(refreshToken).not.toBe('')
    const accounts = grantedAccounts(tokens.authorization_details)
    expect(accounts.length).toBeGreaterThan(0)

    // The binding is visible in the token (AS-TOK-08): the DPoP key or the real certificate.
    const claims = await accessTokenClaims(client, accessToken)
    expect(claims.cnf).toEqual(
      dpop
        ? { jkt: await client.dpopThumbprint() }
        : { 'x5t#S256': await client.certificateThumbprint() },
    )
    expect(claims.exp - claims.iat).toBe(seeded.accessTokenLifetimeSeconds)
    expect(claims.client_id).toBe(client.clientId)
    expect(grantedAccounts(claims.authorization_details)).toEqual(accounts)

    // The ID token, validated as OIDC Core 3.1.3.7 asks (CL-11), for the customer of the token.
    const idToken = await validateIdToken({
      idToken: tokens.id_token,
      issuer: client.bank.issuer,
      clientId: client.clientId,
      nonce: pending.nonce,
      now: nowSeconds(),
      jwks: client.bank.jwks,
    })
    expect(idToken.sub).toBe(claims.sub)

    // userinfo: the same customer, with the token presented by its holder.
    const me = await client.userinfo(accessToken)
    expect(me.status, me.body).toBe(200)
    expect(me.json()).toMatchObject({ sub: claims.sub, given_name: 'Alice' })

    // token (refresh): a new access token, the refresh token is not rotated (AS-RT-03).
    const refreshed = tokensOf(await client.refresh(refreshToken))
    expect(refreshed.refresh_token).toBeUndefined()
    expect(refreshed.access_token).not.toBe(accessToken)
    expect(grantedAccounts(refreshed.authorization_details)).toEqual(accounts)
    expect((await client.userinfo(refreshed.access_token)).status).toBe(200)

    // introspect: JSON, then a JWT signed by the bank for this client (MS-JIR-02).
    const described = await client.introspect(refreshed.access_token)
    expect(described.status, described.body).toBe(200)
    expect(described.json()).toMatchObject({
      active: true,
      client_id: client.clientId,
      sub: claims.sub,
      token_type: dpop ? 'DPoP' : 'Bearer',
      cnf: claims.cnf,
    })
    const signed = await client.introspect(refreshToken, 'application/token-introspection+jwt')
    expect(signed.status, signed.body).toBe(200)
    expect(headerOf(signed, 'content-type')).toMatch(/^application\/token-introspection\+jwt/)
    const introspection = await verifyIntrospectionJwt({
      jwt: signed.body,
      issuer: client.bank.issuer,
      clientId: client.clientId,
      now: nowSeconds(),
      keys: client.bank.jwks,
    })
    expect(introspection).toMatchObject({ active: true, client_id: client.clientId })

    // revoke: the refresh token ends its grant, and every token of the grant with it.
    const revoked = await client.revoke(refreshToken, 'refresh_token')
    expect(revoked.status, revoked.body).toBe(200)
    expectOAuthError(await client.refresh(refreshToken), tokenRules.refreshTokenUnknown)
    expectOAuthError(await client.userinfo(refreshed.access_token), rules.resourceTokenInvalid)
    expect((await client.introspect(refreshed.access_token)).json()).toEqual({ active: false })
  })
})

/** Where the bank's APIs live for the client of `bankId` (the audience of its tokens). */
const apiBase = (client: FlowClient) =>
  `${urlOf('bank-api')}/${client.bank.issuer.split('/').pop()}`

/** A payee account in the bank's own scheme: a UK sort code at aurora, an IBAN elsewhere. */
function creditorOf(bankId: string) {
  return bankId === 'aurora'
    ? { scheme: 'SortCodeAccountNumber', sortCode: '200000', accountNumber: '55779911' }
    : { scheme: 'IBAN', iban: 'DE89370400440532013000' }
}

/** Polls the payment until it leaves the in-flight states (the bank's ticker moves it). */
async function settledPayment(client: FlowClient, url: string, token: string) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const res = await client.resource('GET', url, token)
    expect(res.status, res.body).toBe(200)
    const payment = res.json()
    if (payment.status === 'accepted_settlement_completed' || payment.status === 'rejected') {
      return payment
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`payment ${url} did not settle in 10 s`)
}

describe.each(PROFILES)(
  'from consent to data and a settled payment at $bankId over real TLS',
  (profile) => {
    test('accounts, balances and transactions; then a payment that settles and moves the balance', async () => {
      const { currency } = seededBank(profile.bankId)
      const client = await connect(profile.bankId, {
        certificate: profile.certificate,
        automaticConsent: 'approve',
        metadata: { authorization_details_types: ['account_information', 'payment_initiation'] },
      })
      const api = apiBase(client)

      // Account information: consent to every account of alice's, then read them.
      const { res, pending } = await client.push({
        scope: 'accounts',
        authorization_details: JSON.stringify([
          {
            type: 'account_information',
            actions: ['list_accounts', 'read_balances', 'read_transactions'],
          },
        ]),
        login_hint: ALICE.username,
      })
      expect(res.status, res.body).toBe(201)
      const { code } = await authorizeHeadless(client, pending)
      const accountsToken = tokensOf(await client.exchangeCode(code, pending)).access_token
      const interactionId = randomUUID()
      const listed = await client.resource('GET', `${api}/accounts`, accountsToken, {
        headers: { 'x-fapi-interaction-id': interactionId },
      })
      expect(listed.status, listed.body).toBe(200)
      expect(headerOf(listed, 'x-fapi-interaction-id')).toBe(interactionId)
      const accounts = listed.json().accounts as Array<{
        accountId: string
        currency: string
        type: string
        identification?: unknown
      }>
      const payer = accounts.find((a) => a.type === 'current' && a.currency === currency)
      expect(payer, listed.body).toBeDefined()
      const balancesUrl = `${api}/accounts/${payer?.accountId}/balances`
      const bookedOf = async () => {
        const balances = await client.resource('GET', balancesUrl, accountsToken)
        expect(balances.status, balances.body).toBe(200)
        const { balances: list } = balances.json() as { balances: Balance[] }
        const booked = list.find((b) => b.type === 'booked')
        if (booked === undefined) throw new Error(balances.body)
        return booked
      }
      const before = await bookedOf()
      const page = await client.resource(
        'GET',
        `${api}/accounts/${payer?.accountId}/transactions?limit=5`,
        accountsToken,
      )
      expect(page.status, page.body).toBe(200)
      expect(page.json().transactions).toHaveLength(5)
      expect((page.json() as TransactionList).links?.next).toMatch(new RegExp(`^${api}/accounts/`))

      // Two DPoP headers on a real connection stay two: refused as AS-SC-01 says (RS-08).
      if (seededBank(profile.bankId).profile.senderConstraint === 'dpop') {
        const url = `${api}/accounts`
        const proof = await client.dpopProof('GET', url, accountsToken)
        const twice = await send(
          url,
          { headers: { authorization: `DPoP ${accountsToken}`, dpop: [proof, proof] } },
          client.tls,
        )
        expect(twice.status).toBe(401)
        expect(twice.json()).toMatchObject({
          rule: rules.dpopSingleProof.id,
          error: 'invalid_dpop_proof',
        })
      }

      // The trace bus saw the API request, under the client's interaction id.
      const traced = sandbox.trace.recent().find((event) => event.interactionId === interactionId)
      expect(traced).toMatchObject({
        service: 'bank-api',
        bankId: profile.bankId,
        step: 'accounts',
      })

      // Payment initiation: consent to one payment from that account, then initiate it once.
      const instruction = {
        instructedAmount: { amount: '1.50', currency },
        creditorName: 'Northwind Energy',
        creditorAccount: creditorOf(profile.bankId),
        remittanceInformationUnstructured: 'Flow test',
      }
      const payment = await client.push({
        scope: 'payments',
        authorization_details: JSON.stringify([
          { type: 'payment_initiation', ...instruction, debtorAccount: payer?.identification },
        ]),
        login_hint: ALICE.username,
      })
      expect(payment.res.status, payment.res.body).toBe(201)
      const paymentCode = await authorizeHeadless(client, payment.pending)
      const paymentToken = tokensOf(
        await client.exchangeCode(paymentCode.code, payment.pending),
      ).access_token
      const key = randomUUID()
      const created = await client.resource('POST', `${api}/payments`, paymentToken, {
        body: instruction,
        headers: { 'idempotency-key': key },
      })
      expect(created.status, created.body).toBe(201)
      expect(created.json()).toMatchObject({
        status: 'pending',
        instructedAmount: instruction.instructedAmount,
      })
      const again = await client.resource('POST', `${api}/payments`, paymentToken, {
        body: instruction,
        headers: { 'idempotency-key': key },
      })
      expect(again.json().paymentId).toBe(created.json().paymentId)
      const location = headerOf(created, 'location') ?? ''
      expect(location).toBe(`${api}/payments/${created.json().paymentId}`)
      const settled = await settledPayment(client, location, paymentToken)
      expect(settled.status, JSON.stringify(settled)).toBe('accepted_settlement_completed')

      // One debit of exactly the amount, whatever sign the balance has.
      const after = await bookedOf()
      const signedMinor = (b: Balance) =>
        Math.round(Number(b.amount.amount.replace('.', ''))) *
        (b.creditDebitIndicator === 'debit' ? -1 : 1)
      expect(signedMinor(before) - signedMinor(after)).toBe(150)

      // Revoking the accounts grant at the bank ends API access on the next request (RS-04).
      expect((await client.revoke(accountsToken, 'access_token')).status).toBe(200)
      const refused = await client.resource('GET', `${api}/accounts`, accountsToken)
      expect(refused.status).toBe(401)
      expect(headerOf(refused, 'www-authenticate')).toContain('error="invalid_token"')
    })
  },
)

describe('what goes wrong over real TLS', () => {
  test('a replayed code is refused and revokes the grant: the first access token stops working (AS-CODE-02)', async () => {
    const client = await connect('aurora', { automaticConsent: 'approve' })
    const pending = await pushForAlice(client)
    const { code } = await authorizeHeadless(client, pending)
    const first = tokensOf(await client.exchangeCode(code, pending))
    expect((await client.userinfo(first.access_token)).status).toBe(200)

    expectOAuthError(await client.exchangeCode(code, pending), tokenRules.codeReplayed)
    expectOAuthError(await client.userinfo(first.access_token), rules.resourceTokenInvalid)
    expectOAuthError(
      await client.refresh(first.refresh_token ?? ''),
      tokenRules.refreshTokenUnknown,
    )
  })

  test('at meridian a token request without the certificate is refused and leaves the code usable (AS-CA-12)', async () => {
    const client = await connect('meridian', { certificate: true, automaticConsent: 'approve' })
    const pending = await pushForAlice(client)
    const { code } = await authorizeHeadless(client, pending)

    // tls_client_auth: the certificate is the client's credential, so it fails as client
    // authentication before any token could be issued unbound (AS-TOK-02).
    const bare = client.withoutCertificate()
    expect(bare.endpoint('token_endpoint')).toBe(client.endpoint('token_endpoint'))
    expectOAuthError(await bare.exchangeCode(code, pending), rules.tlsClientCertificateMissing)

    const tokens = tokensOf(await client.exchangeCode(code, pending))
    expectOAuthError(await bare.userinfo(tokens.access_token), rules.certificateBinding)
    expect((await client.userinfo(tokens.access_token)).status).toBe(200)
  })

  test('at fjord the token endpoint asks for a fresh nonce and the code survives the challenge (AS-TOK-07)', async () => {
    const client = await connect('fjord', { automaticConsent: 'approve' })
    const pending = await pushForAlice(client)
    const { code } = await authorizeHeadless(client, pending)

    // A client that lost the nonce (a restart) sends a proof without one: use_dpop_nonce, retry.
    client.dpopNonce = undefined
    const challenges = client.nonceChallenges
    const tokens = tokensOf(await client.exchangeCode(code, pending))
    expect(client.nonceChallenges).toBe(challenges + 1)
    expect(tokens.token_type).toBe('DPoP')
  })
})

describe('the sign-in and consent pages at aurora, as a browser uses them', () => {
  test('password, one-time code, consent to one account: the code carries that account only', async () => {
    const client = await connect('aurora')
    const { res, pending } = await client.push({
      scope: 'openid accounts',
      authorization_details: ACCOUNT_ACCESS,
    })
    expect(res.status, res.body).toBe(201)

    // authorize: the sign-in page, and the bank's session cookie.
    const browser = new PageBrowser(sandbox.pki.ca.certPem)
    const signIn = await browser.get(client.authorizationUrl(pending))
    expect(signIn.status, signIn.body).toBe(200)
    expect(signIn.body).toContain('Flow Test Client')
    expect(browser.cookieNames()).toEqual(['__Host-aurora-session'])

    // password, then code: each form posts with the session's CSRF token and answers 303.
    const codePage = await browser.follow(
      await browser.submit(signIn, '/password', {
        username: ALICE.username,
        password: ALICE.password,
      }),
    )
    expect(codePage.body).toContain('One-time code')
    const consentPage = await browser.follow(
      await browser.submit(codePage, '/code', { code: ALICE.oneTimeCode }),
    )
    expect(consentPage.status, consentPage.body).toBe(200)
    expect(consentPage.body).toContain('Allow Flow Test Client to connect')

    // consent: alice picks one of her accounts and allows.
    const offered = checkboxValues(consentPage.body, 'accounts')
    expect(offered.length).toBeGreaterThan(1)
    const chosen = offered[0] ?? ''
    const approved = await browser.submit(consentPage, '/consent', {
      decision: 'approve',
      accounts: [chosen],
      duration: selectedOption(consentPage.body, 'duration') ?? '',
    })
    expect(approved.status, approved.body).toBe(303)
    const { params } = await client.callback(headerOf(approved, 'location') ?? '')
    expect(params).toMatchObject({ state: pending.state, iss: client.bank.issuer })

    const tokens = tokensOf(await client.exchangeCode(params.code ?? '', pending))
    expect(grantedAccounts(tokens.authorization_details)).toEqual([chosen])
    const claims = await accessTokenClaims(client, tokens.access_token)
    expect(grantedAccounts(claims.authorization_details)).toEqual([chosen])
  })
})
