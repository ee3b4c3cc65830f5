import { AuthorizationServerMetadataSchema } from '@sandbox/spec-types/oauth/as-metadata'
import { FAPI_SIGNING_ALGS } from '@sandbox/spec-types/oauth/signing-alg'
import Value from 'typebox/value'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  buildTestBankOp,
  dpopBank,
  MTLS_BASE_URL,
  messageSigningBank,
  mtlsBank,
  PUBLIC_BASE_URL,
  type TestBankOp,
} from '../helpers.js'

type Metadata = Record<string, unknown>

const FAPI_AUTH_METHODS = ['private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth']

/** A path on bank-op as the fetch URL: everything after the public base URL. */
const pathOf = (url: string) => {
  expect(url.startsWith(`${PUBLIC_BASE_URL}/`)).toBe(true)
  return url.slice(PUBLIC_BASE_URL.length)
}

describe('discovery', () => {
  let bankOp: TestBankOp
  beforeAll(async () => {
    bankOp = await buildTestBankOp()
  })
  afterAll(() => bankOp.close())

  const fetchMetadata = async (path: string) => {
    const res = await bankOp.app.inject({ method: 'GET', url: path })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/)
    return res.json() as Metadata
  }

  const profiles = [
    ['DPoP bank', dpopBank()],
    ['mTLS bank', mtlsBank()],
    ['nonce, JAR and JARM bank', messageSigningBank()],
  ] as const

  describe.each(profiles)('%s', (_, bank) => {
    const issuer = `${PUBLIC_BASE_URL}/${bank.id}`
    let metadata: Metadata
    beforeAll(async () => {
      metadata = await fetchMetadata(`/${bank.id}/.well-known/openid-configuration`)
    })

    test('the document satisfies the spec-types AuthorizationServerMetadata schema', () => {
      expect([...Value.Errors(AuthorizationServerMetadataSchema, metadata)]).toEqual([])
    })

    test('AS-MD-01: issuer is byte-equal to the prefix the document was fetched with', async () => {
      // OIDC Discovery section 4: the document was fetched at issuer + the well-known suffix.
      const fetchedAt = `${PUBLIC_BASE_URL}/${bank.id}/.well-known/openid-configuration`
      expect(metadata.issuer).toBe(fetchedAt.slice(0, -'/.well-known/openid-configuration'.length))
      expect(metadata.issuer).toBe(issuer)
      // RFC 8414 section 3.1: /.well-known/oauth-authorization-server inserted before the path.
      const inserted = await fetchMetadata(`/.well-known/oauth-authorization-server/${bank.id}`)
      const appended = await fetchMetadata(`/${bank.id}/.well-known/oauth-authorization-server`)
      expect(inserted).toEqual(metadata)
      expect(appended).toEqual(metadata)
    })

    test('AS-MD-02: PAR endpoint published and PAR required', () => {
      expect(metadata.pushed_authorization_request_endpoint).toBe(`${issuer}/par`)
      expect(metadata.require_pushed_authorization_requests).toBe(true)
    })

    test('AS-MD-03: only the code response type', () => {
      expect(metadata.response_types_supported).toEqual(['code'])
    })

    test('AS-MD-04: PKCE S256 only', () => {
      expect(metadata.code_challenge_methods_supported).toEqual(['S256'])
    })

    test('AS-MD-05: iss authorization response parameter advertised', () => {
      expect(metadata.authorization_response_iss_parameter_supported).toBe(true)
    })

    test('AS-MD-06: only FAPI client authentication, the one this profile requires', () => {
      const methods = metadata.token_endpoint_auth_methods_supported as string[]
      expect(methods).toEqual([bank.profile.clientAuth])
      for (const method of methods) expect(FAPI_AUTH_METHODS).toContain(method)
      if (bank.profile.clientAuth === 'private_key_jwt') {
        const algs = metadata.token_endpoint_auth_signing_alg_values_supported as string[]
        expect(algs.length).toBeGreaterThan(0)
        for (const alg of algs) expect(FAPI_SIGNING_ALGS).toContain(alg)
      }
    })

    test('AS-MD-07: the sender constraint is advertised', () => {
      if (bank.profile.senderConstraint === 'dpop') {
        const algs = metadata.dpop_signing_alg_values_supported as string[]
        expect(algs.length).toBeGreaterThan(0)
        for (const alg of algs) expect(FAPI_SIGNING_ALGS).toContain(alg)
        expect(metadata).not.toHaveProperty('mtls_endpoint_aliases')
      } else {
        expect(metadata.tls_client_certificate_bound_access_tokens).toBe(true)
        expect(metadata).not.toHaveProperty('dpop_signing_alg_values_supported')
        const base = `${MTLS_BASE_URL}/${bank.id}`
        expect(metadata.mtls_endpoint_aliases).toEqual({
          token_endpoint: `${base}/token`,
          pushed_authorization_request_endpoint: `${base}/par`,
          introspection_endpoint: `${base}/introspect`,
          revocation_endpoint: `${base}/revoke`,
          userinfo_endpoint: `${base}/userinfo`,
        })
      }
    })

    test('AS-MD-08: no password or implicit grant', () => {
      const grants = metadata.grant_types_supported as string[]
      expect(grants).not.toContain('password')
      expect(grants).not.toContain('implicit')
      expect(grants).toEqual(
        expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
      )
    })

    test('AS-MD-09: OIDC values use FAPI algorithms', () => {
      const algs = metadata.id_token_signing_alg_values_supported as string[]
      expect(algs.length).toBeGreaterThan(0)
      for (const alg of algs) expect(FAPI_SIGNING_ALGS).toContain(alg)
      expect(metadata.scopes_supported).toContain('openid')
      expect(metadata.subject_types_supported).toEqual(['public'])
    })

    test('AS-MD-10: message-signing metadata', () => {
      for (const member of [
        'request_object_signing_alg_values_supported',
        'authorization_signing_alg_values_supported',
        'introspection_signing_alg_values_supported',
      ]) {
        const algs = metadata[member] as string[]
        expect(algs.length, member).toBeGreaterThan(0)
        for (const alg of algs) expect(FAPI_SIGNING_ALGS).toContain(alg)
      }
      expect(metadata.response_modes_supported).toContain('jwt')
      expect(metadata.require_signed_request_object).toBe(bank.profile.requireSignedRequestObject)
    })

    test('AS-MD-11: RAR detail types listed', () => {
      expect(metadata.authorization_details_types_supported).toEqual([
        'account_information',
        'payment_initiation',
      ])
    })

    test('AS-MD-13: jwks_uri answers with public keys only, one kid each', async () => {
      const res = await bankOp.app.inject({ method: 'GET', url: pathOf(String(metadata.jwks_uri)) })
      expect(res.statusCode).toBe(200)
      const { keys } = res.json() as { keys: Record<string, unknown>[] }
      const kids = keys.map((key) => key.kid)
      expect(new Set(kids).size).toBe(kids.length)
      for (const key of keys) {
        for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])
          expect(key).not.toHaveProperty(member)
      }
      // The algorithms the bank says it signs with are the ones it has keys for.
      const algs = new Set(keys.map((key) => key.alg))
      for (const alg of metadata.id_token_signing_alg_values_supported as string[])
        expect(algs).toContain(alg)
    })

    test('AS-MD-14: every endpoint URL is https', () => {
      const urls = Object.entries(metadata).filter(
        ([name]) => name.endsWith('_endpoint') || name === 'jwks_uri' || name === 'issuer',
      )
      expect(urls.length).toBeGreaterThanOrEqual(9)
      for (const [name, url] of urls) expect(url, name).toMatch(/^https:\/\//)
      const aliases = Object.values((metadata.mtls_endpoint_aliases as object | undefined) ?? {})
      for (const url of aliases) expect(url).toMatch(/^https:\/\//)
    })
  })

  test('the three seeded profiles are the three this suite names', () => {
    const ids = profiles.map(([, bank]) => bank.id)
    expect(new Set(ids).size).toBe(3)
  })

  test('without mtlsBaseUrl the mTLS bank publishes no aliases but still binds tokens to certificates', async () => {
    const bank = mtlsBank()
    const other = await buildTestBankOp({ banks: [bank], config: { mtlsBaseUrl: undefined } })
    try {
      const res = await other.app.inject({ url: `/${bank.id}/.well-known/openid-configuration` })
      const metadata = res.json() as Metadata
      expect(metadata).not.toHaveProperty('mtls_endpoint_aliases')
      expect(metadata.tls_client_certificate_bound_access_tokens).toBe(true)
    } finally {
      await other.close()
    }
  })

  test.each([
    '/no-such-bank/.well-known/openid-configuration',
    '/no-such-bank/.well-known/oauth-authorization-server',
    '/.well-known/oauth-authorization-server/no-such-bank',
  ])('an unknown bank is a 404 problem that names the issuers there are: %s', async (url) => {
    const res = await bankOp.app.inject({ method: 'GET', url })
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    const body = res.json()
    expect(body).toMatchObject({ status: 404, title: 'Unknown bank' })
    expect(body.detail).toContain("'no-such-bank'")
    for (const [, bank] of profiles) expect(body.detail).toContain(`${PUBLIC_BASE_URL}/${bank.id}`)
  })
})
