import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { JWT_BEARER_CLIENT_ASSERTION_TYPE } from '@sandbox/fapi/client-assertion'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BankContext } from '../../src/bank-context.js'
import { hashToken } from '../../src/random.js'
import { OPEN_REGISTRATION_NOTICE } from '../../src/routes/registration.js'
import { registrationRules } from '../../src/rules/registration.js'
import { insertGrant, insertRefreshToken } from '../grant-fixtures.js'
import {
  buildTestBankOp,
  dpopBank,
  messageSigningBank,
  mtlsBank,
  type TestBankOp,
} from '../helpers.js'
import {
  clientAssertion,
  contextOf,
  expectOAuthError,
  form,
  generateEs256,
  pathOf,
  pkce,
  REDIRECT_URI,
} from '../oauth-helpers.js'

let op: TestBankOp
let aurora: BankContext
let meridian: BankContext
let fjord: BankContext
let es256: Awaited<ReturnType<typeof generateEs256>>
const KID = randomUUID()

beforeAll(async () => {
  op = await buildTestBankOp()
  aurora = contextOf(op, dpopBank().id)
  meridian = contextOf(op, mtlsBank().id)
  fjord = contextOf(op, messageSigningBank().id)
  es256 = await generateEs256(KID)
})
afterAll(() => op.close())

/** Valid private_key_jwt metadata for aurora, with changes. */
function auroraMetadata(changes: Record<string, unknown> = {}) {
  return {
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    client_name: 'Registered Fintech',
    jwks: { keys: [es256.publicJwk] },
    ...changes,
  }
}

const DN = 'CN=registered-fintech,O=Sandbox'

function meridianMetadata(changes: Record<string, unknown> = {}) {
  return {
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: DN,
    ...changes,
  }
}

function register(bank: BankContext, body: unknown, headers: Record<string, string> = {}) {
  return op.app.inject({
    method: 'POST',
    url: pathOf(bank, '/register'),
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

async function registered(bank: BankContext, body: unknown) {
  const res = await register(bank, body)
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as {
    client_id: string
    registration_access_token: string
    registration_client_uri: string
  } & Record<string, unknown>
}

/** The path of a client's configuration endpoint, from its registration_client_uri. */
function configurationPath(uri: string): string {
  return new URL(uri).pathname
}

function manage(
  method: 'GET' | 'PUT' | 'DELETE' | 'POST',
  uri: string,
  token: string | undefined,
  body?: unknown,
) {
  return op.app.inject({
    method,
    url: configurationPath(uri),
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  })
}

/** node:crypto, since jose refuses to generate keys under 2048 bits. */
function rsaJwk(modulusLength: number): JWK {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength })
  return { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: `rsa-${modulusLength}` }
}

describe('registration accepts FAPI clients (DCR-01, RFC 7591 section 3.2.1)', () => {
  test('aurora: a private_key_jwt client gets a random client_id, a management token and the defaults', async () => {
    const res = await register(aurora, auroraMetadata())
    expect(res.statusCode).toBe(201)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['sandbox-notice']).toBe(OPEN_REGISTRATION_NOTICE)
    const body = res.json()
    expect(body.client_id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(body.registration_access_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body).toMatchObject({
      client_id_issued_at: aurora.now(),
      registration_client_uri: `${aurora.issuer}/register/${body.client_id}`,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      dpop_bound_access_tokens: true,
      require_pushed_authorization_requests: true,
      token_endpoint_auth_method: 'private_key_jwt',
    })
    expect(body.sandbox_automatic_consent).toBeUndefined()
    const stored = await aurora.store.clients.get(body.client_id)
    expect(stored?.registrationTokenHash).toBe(await hashToken(body.registration_access_token))
    expect(stored?.metadata.registration_access_token).toBeUndefined()
    expect(stored?.automaticConsent).toBeUndefined()
  })

  test('meridian: a tls_client_auth client named by its subject DN gets certificate-bound tokens', async () => {
    const body = await registered(meridian, meridianMetadata())
    expect(body).toMatchObject({
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: DN,
      tls_client_certificate_bound_access_tokens: true,
    })
    expect(body.dpop_bound_access_tokens).toBeUndefined()
    expect(body.jwks).toBeUndefined()
  })

  test('fjord: a message-signing bank fills in request objects and JARM (DCR-10)', async () => {
    const body = await registered(fjord, auroraMetadata())
    expect(body).toMatchObject({
      require_signed_request_object: true,
      response_modes: ['jwt'],
      dpop_bound_access_tokens: true,
    })
  })

  test('a client_credentials client needs no redirect URI and gets no response type', async () => {
    const { redirect_uris: _uris, ...metadata } = auroraMetadata()
    const body = await registered(aurora, { ...metadata, grant_types: ['client_credentials'] })
    expect(body.grant_types).toEqual(['client_credentials'])
    expect(body.response_types).toBeUndefined()
  })

  test('an RSA and an EC key may share a kid (AS-ALG-05, RFC 7517 section 4.5)', async () => {
    const rsa = { ...rsaJwk(2048), kid: KID }
    await registered(aurora, auroraMetadata({ jwks: { keys: [es256.publicJwk, rsa] } }))
  })

  test('sandbox_automatic_consent is stored and answered', async () => {
    const body = await registered(aurora, auroraMetadata({ sandbox_automatic_consent: 'approve' }))
    expect(body.sandbox_automatic_consent).toBe('approve')
    expect((await aurora.store.clients.get(body.client_id))?.automaticConsent).toBe('approve')
  })

  test('unknown metadata is ignored (RFC 7591 section 2)', async () => {
    const body = await registered(aurora, auroraMetadata({ frobnicate: true }))
    expect(body.frobnicate).toBeUndefined()
  })

  test('a registered client authenticates at PAR with its key', async () => {
    const body = await registered(aurora, auroraMetadata())
    const client = { clientId: body.client_id, ...es256, redirectUri: REDIRECT_URI }
    const res = await op.app.inject({
      method: 'POST',
      url: pathOf(aurora, '/par'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({
        client_id: client.clientId,
        client_assertion_type: JWT_BEARER_CLIENT_ASSERTION_TYPE,
        client_assertion: await clientAssertion(client, aurora),
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: 'openid accounts',
        ...(await pkce()),
      }),
    })
    expect(res.statusCode, res.body).toBe(201)
  })
})

describe('registration rejects, one rule at a time (RFC 7591 section 3.2.2)', () => {
  test.each([
    ['http', 'http://tpp.sandbox.test/cb'],
    ['a fragment', 'https://tpp.sandbox.test/cb#x'],
  ])('a redirect URI with %s (DCR-03, AS-RU-01, AS-RU-04)', async (_, uri) => {
    const res = await register(aurora, auroraMetadata({ redirect_uris: [uri] }))
    const body = expectOAuthError(res, { rule: registrationRules.redirectUriForm })
    expect(body.error_description).toContain('redirect_uris/0')
  })

  test('a wildcard redirect URI (DCR-03)', async () => {
    const res = await register(aurora, auroraMetadata({ redirect_uris: ['https://*.tpp.test/cb'] }))
    expectOAuthError(res, { rule: registrationRules.redirectUriWildcard })
  })

  test('a redirect URI with userinfo (DCR-03)', async () => {
    const uri = 'https://user:s3cret@tpp.sandbox.test/cb'
    const res = await register(aurora, auroraMetadata({ redirect_uris: [uri] }))
    const body = expectOAuthError(res, { rule: registrationRules.redirectUriUserinfo })
    expect(body.error_description).not.toContain('s3cret')
  })

  test('a code-flow client without redirect URIs (DCR-03)', async () => {
    const { redirect_uris: _uris, ...metadata } = auroraMetadata()
    expectOAuthError(await register(aurora, metadata), {
      rule: registrationRules.redirectUrisRequired,
    })
  })

  test.each([
    ['a client secret method', 'aurora', 'client_secret_basic'],
    ['none', 'aurora', 'none'],
    ['the other FAPI method', 'aurora', 'tls_client_auth'],
    ['private_key_jwt at the mTLS bank', 'meridian', 'private_key_jwt'],
  ])('token_endpoint_auth_method %s (DCR-02)', async (_, bankId, method) => {
    const metadata = auroraMetadata({ token_endpoint_auth_method: method })
    const res = await register(bankId === 'aurora' ? aurora : meridian, metadata)
    const body = expectOAuthError(res, { rule: registrationRules.authMethod })
    expect(body.error_description).toContain('token_endpoint_auth_method')
  })

  test.each([
    ['implicit', { grant_types: ['implicit'] }],
    ['password', { grant_types: ['password'] }],
    ['a hybrid response type', { response_types: ['code id_token'] }],
    [
      'refresh_token without authorization_code',
      { grant_types: ['refresh_token', 'client_credentials'] },
    ],
    [
      'response type code without authorization_code',
      { grant_types: ['client_credentials'], response_types: ['code'] },
    ],
  ])('%s (DCR-04)', async (_, change) => {
    expectOAuthError(await register(aurora, auroraMetadata(change)), {
      rule: registrationRules.grantTypes,
    })
  })

  test.each([
    ['token_endpoint_auth_signing_alg RS256', { token_endpoint_auth_signing_alg: 'RS256' }],
    ['id_token_signed_response_alg none', { id_token_signed_response_alg: 'none' }],
    [
      'introspection_signed_response_alg RS256 (MS-JIR-05)',
      { introspection_signed_response_alg: 'RS256' },
    ],
  ])('%s (DCR-05)', async (_, change) => {
    const body = expectOAuthError(await register(aurora, auroraMetadata(change)), {
      rule: registrationRules.signingAlg,
    })
    expect(body.error_description).toContain(Object.keys(change)[0])
  })

  test('a key that declares RS256 (DCR-05)', async () => {
    const jwk = { ...rsaJwk(2048), alg: 'RS256' }
    expectOAuthError(await register(aurora, auroraMetadata({ jwks: { keys: [jwk] } })), {
      rule: registrationRules.signingAlg,
    })
  })

  test('a response algorithm the bank does not sign with (DCR-05, RFC 9701 section 6)', async () => {
    const res = await register(
      aurora,
      auroraMetadata({ introspection_signed_response_alg: 'EdDSA' }),
    )
    expectOAuthError(res, { rule: registrationRules.bankSigningAlg })
  })

  test.each([
    ['a private key', async () => ({ jwks: { keys: [{ ...es256.publicJwk, d: 'AAAA' }] } })],
    [
      'an http jwks_uri',
      async () => ({ jwks: undefined, jwks_uri: 'http://tpp.sandbox.test/jwks' }),
    ],
    [
      'a point off the curve',
      async () => ({ jwks: { keys: [{ ...es256.publicJwk, y: es256.publicJwk.x }] } }),
    ],
  ])('jwks with %s (DCR-06)', async (_, change) => {
    const res = await register(aurora, JSON.parse(JSON.stringify(auroraMetadata(await change()))))
    expectOAuthError(res, { rule: registrationRules.clientKeys })
  })

  test('a 1024-bit RSA key (AS-CA-13)', async () => {
    const res = await register(aurora, auroraMetadata({ jwks: { keys: [await rsaJwk(1024)] } }))
    const body = expectOAuthError(res, { rule: registrationRules.clientKeyStrength })
    expect(body.error_description).toContain('1024 bits')
  })

  test('a P-384 key (AS-CA-13)', async () => {
    const { publicKey } = await generateKeyPair('ES384', { extractable: true })
    const jwk = { ...(await exportJWK(publicKey)), kid: 'p384' }
    expectOAuthError(await register(aurora, auroraMetadata({ jwks: { keys: [jwk] } })), {
      rule: registrationRules.clientKeyStrength,
    })
  })

  test('two EC keys with one kid (DCR-06, RFC 7517 section 4.5)', async () => {
    const other = await generateEs256(KID)
    const res = await register(
      aurora,
      auroraMetadata({ jwks: { keys: [es256.publicJwk, other.publicJwk] } }),
    )
    expectOAuthError(res, { rule: registrationRules.keyIds })
  })

  test.each([
    ['neither jwks nor jwks_uri', { jwks: undefined }],
    ['both jwks and jwks_uri', { jwks_uri: 'https://tpp.sandbox.test/jwks' }],
  ])('a private_key_jwt client with %s (DCR-06)', async (_, change) => {
    const res = await register(aurora, JSON.parse(JSON.stringify(auroraMetadata(change))))
    expectOAuthError(res, { rule: registrationRules.jwksForMethod })
  })

  test.each([
    ['no subject', { tls_client_auth_subject_dn: undefined }],
    ['two subjects', { tls_client_auth_san_dns: 'tpp.sandbox.test' }],
  ])('a tls_client_auth client with %s (AS-CA-12, RFC 8705 section 2.1.2)', async (_, change) => {
    const res = await register(meridian, JSON.parse(JSON.stringify(meridianMetadata(change))))
    expectOAuthError(res, { rule: registrationRules.tlsClientAuthSubject })
  })

  test.each([
    [
      'dpop_bound_access_tokens false at a DPoP bank',
      'aurora',
      { dpop_bound_access_tokens: false },
    ],
    [
      'certificate-bound tokens at a DPoP bank',
      'aurora',
      { tls_client_certificate_bound_access_tokens: true },
    ],
    ['DPoP-bound tokens at the mTLS bank', 'meridian', { dpop_bound_access_tokens: true }],
  ])('%s (DCR-09)', async (_, bankId, change) => {
    const res =
      bankId === 'aurora'
        ? await register(aurora, auroraMetadata(change))
        : await register(meridian, meridianMetadata(change))
    expectOAuthError(res, { rule: registrationRules.senderConstraint })
  })

  test.each([
    ['opting out of PAR', 'aurora', { require_pushed_authorization_requests: false }],
    ['opting out of request objects at fjord', 'fjord', { require_signed_request_object: false }],
    ['the query response mode at fjord', 'fjord', { response_modes: ['query'] }],
  ])('%s (DCR-10)', async (_, bankId, change) => {
    const res = await register(bankId === 'fjord' ? fjord : aurora, auroraMetadata(change))
    expectOAuthError(res, { rule: registrationRules.messageSigning })
  })

  test.each([
    [
      'an unknown details type',
      { authorization_details_types: ['tax_filing'] },
      'authorization_details_types',
    ],
    ['a malformed contact', { contacts: ['not an email'] }, 'contacts'],
    [
      'an unknown automatic consent',
      { sandbox_automatic_consent: 'maybe' },
      'sandbox_automatic_consent',
    ],
  ])('%s names the member (DCR-01)', async (_, change, member) => {
    const res = await register(aurora, auroraMetadata(change))
    const body = expectOAuthError(res, { rule: registrationRules.clientMetadata })
    expect(body.error_description).toContain(member)
  })

  test.each([
    ['a form body', 'redirect_uris=x', 'application/x-www-form-urlencoded'],
    ['broken JSON', '{"redirect_uris": [', 'application/json'],
    ['a JSON array', '[]', 'application/json'],
    ['an empty body', '', 'application/json'],
  ])('%s (DCR-01)', async (_, payload, type) => {
    const res = await register(aurora, payload, { 'content-type': type })
    expectOAuthError(res, { rule: registrationRules.jsonBody })
  })

  test('a body over 64 KiB (DCR-01)', async () => {
    const res = await register(aurora, auroraMetadata({ client_name: 'x'.repeat(70_000) }))
    expectOAuthError(res, { rule: registrationRules.bodyTooLarge })
  })

  test('a software statement that is not a JWS (DCR-07)', async () => {
    const res = await register(aurora, auroraMetadata({ software_statement: 'not-a-jwt' }))
    expectOAuthError(res, { rule: registrationRules.softwareStatementMalformed })
  })

  test('a software statement from an issuer nobody approved (DCR-07)', async () => {
    const res = await register(
      aurora,
      auroraMetadata({ software_statement: 'eyJhbGciOiJQUzI1NiJ9.e30.c2ln' }),
    )
    expectOAuthError(res, { rule: registrationRules.softwareStatementUnapproved })
  })

  test('GET on the registration endpoint (DCR-01)', async () => {
    const res = await op.app.inject({ method: 'GET', url: pathOf(aurora, '/register') })
    expectOAuthError(res, {
      rule: registrationRules.registrationMethod,
      headers: { allow: 'POST' },
    })
  })

  test('an unknown bank is a 404 problem', async () => {
    const res = await op.app.inject({
      method: 'POST',
      url: '/nobank/register',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    })
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})

describe('client management (DCR-11, RFC 7592 section 2)', () => {
  test('GET reads the registration back with the presented token', async () => {
    const created = await registered(aurora, auroraMetadata())
    const res = await manage(
      'GET',
      created.registration_client_uri,
      created.registration_access_token,
    )
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.json()).toEqual(created)
  })

  test('PUT replaces the metadata; client_id and token stay', async () => {
    const created = await registered(aurora, auroraMetadata({ sandbox_automatic_consent: 'deny' }))
    const update = {
      ...auroraMetadata(),
      client_id: created.client_id,
      redirect_uris: ['https://tpp.sandbox.test/other'],
    }
    const res = await manage(
      'PUT',
      created.registration_client_uri,
      created.registration_access_token,
      update,
    )
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({
      client_id: created.client_id,
      client_id_issued_at: created.client_id_issued_at,
      registration_client_uri: created.registration_client_uri,
      registration_access_token: created.registration_access_token,
      redirect_uris: ['https://tpp.sandbox.test/other'],
    })
    // RFC 7592 section 2.2: an omitted member is removed.
    expect(body.sandbox_automatic_consent).toBeUndefined()
    const stored = await aurora.store.clients.get(created.client_id)
    expect(stored?.metadata.redirect_uris).toEqual(['https://tpp.sandbox.test/other'])
    expect(stored?.automaticConsent).toBeUndefined()
    const read = await manage(
      'GET',
      created.registration_client_uri,
      created.registration_access_token,
    )
    expect(read.json().redirect_uris).toEqual(['https://tpp.sandbox.test/other'])
  })

  test('PUT applies the registration rules (DCR-03)', async () => {
    const created = await registered(aurora, auroraMetadata())
    const update = {
      ...auroraMetadata(),
      client_id: created.client_id,
      redirect_uris: ['http://x.test/cb'],
    }
    const res = await manage(
      'PUT',
      created.registration_client_uri,
      created.registration_access_token,
      update,
    )
    expectOAuthError(res, { rule: registrationRules.redirectUriForm })
  })

  test('PUT with another client_id (DCR-11)', async () => {
    const created = await registered(aurora, auroraMetadata())
    const update = { ...auroraMetadata(), client_id: 'someone-else' }
    const res = await manage(
      'PUT',
      created.registration_client_uri,
      created.registration_access_token,
      update,
    )
    expectOAuthError(res, { rule: registrationRules.clientIdImmutable })
  })

  test('DELETE removes the client with its grants and refresh tokens, then the token is dead', async () => {
    const created = await registered(aurora, auroraMetadata())
    const grant = await insertGrant(aurora, created.client_id)
    const { record } = await insertRefreshToken(aurora, grant)
    const res = await manage(
      'DELETE',
      created.registration_client_uri,
      created.registration_access_token,
    )
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    expect(await aurora.store.clients.get(created.client_id)).toBeUndefined()
    expect(await aurora.store.grants.get(grant.id)).toBeUndefined()
    expect(await aurora.store.refreshTokens.get(record.tokenHash)).toBeUndefined()
    const again = await manage(
      'GET',
      created.registration_client_uri,
      created.registration_access_token,
    )
    expectOAuthError(again, { rule: registrationRules.registrationToken })
  })

  test('no token: 401 with a bare Bearer challenge (DCR-11, RFC 6750 section 3.1)', async () => {
    const created = await registered(aurora, auroraMetadata())
    const res = await manage('GET', created.registration_client_uri, undefined)
    expectOAuthError(res, {
      rule: registrationRules.registrationToken,
      headers: { 'www-authenticate': `Bearer realm="${aurora.issuer}"` },
    })
  })

  test.each(['GET', 'PUT', 'DELETE'] as const)(
    '%s with a wrong token: 401 invalid_token (DCR-11)',
    async (method) => {
      const created = await registered(aurora, auroraMetadata())
      const other = await registered(aurora, auroraMetadata())
      const body =
        method === 'PUT' ? { ...auroraMetadata(), client_id: created.client_id } : undefined
      const res = await manage(
        method,
        created.registration_client_uri,
        other.registration_access_token,
        body,
      )
      expectOAuthError(res, {
        rule: registrationRules.registrationToken,
        headers: { 'www-authenticate': `Bearer realm="${aurora.issuer}", error="invalid_token"` },
      })
      expect(await aurora.store.clients.get(created.client_id)).toBeDefined()
    },
  )

  test('an unknown client answers as a wrong token does, never 404 (DCR-11)', async () => {
    const created = await registered(aurora, auroraMetadata())
    const uri = `${aurora.issuer}/register/no-such-client`
    const res = await manage('GET', uri, created.registration_access_token)
    expectOAuthError(res, { rule: registrationRules.registrationToken })
  })

  test('a PUT with a bad token is refused before its body is read (DCR-11)', async () => {
    const created = await registered(aurora, auroraMetadata())
    const res = await manage('PUT', created.registration_client_uri, 'wrong', { nonsense: true })
    expectOAuthError(res, { rule: registrationRules.registrationToken })
  })

  test('POST on a client configuration endpoint (DCR-11)', async () => {
    const created = await registered(aurora, auroraMetadata())
    const res = await manage(
      'POST',
      created.registration_client_uri,
      created.registration_access_token,
      {},
    )
    expectOAuthError(res, {
      rule: registrationRules.managementMethod,
      headers: { allow: 'GET, PUT, DELETE' },
    })
  })

  test('a registration token of another bank does not work here', async () => {
    const created = await registered(aurora, auroraMetadata())
    const path = configurationPath(created.registration_client_uri).replace(
      `/${aurora.bank.id}/`,
      `/${fjord.bank.id}/`,
    )
    const res = await op.app.inject({
      method: 'GET',
      url: path,
      headers: { authorization: `Bearer ${created.registration_access_token}` },
    })
    expectOAuthError(res, { rule: registrationRules.registrationToken })
  })
})
