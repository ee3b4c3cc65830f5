import type { Bank } from '@sandbox/spec-types/banking/bank'
import { exportJWK, generateKeyPair } from 'jose'
import * as client from 'openid-client'
import { Agent, fetch as undiciFetch } from 'undici'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { RunningSandbox } from '../src/launch.js'
import { useLaunchedSandbox } from './launched-sandbox.js'

const launched = useLaunchedSandbox('launch-interop')
let sandbox: RunningSandbox
let agent: Agent

beforeAll(() => {
  sandbox = launched.sandbox
  // Trust exactly the sandbox CA, as a client configured for it would (RFC 9525, AS-TLS-08).
  agent = new Agent({ connect: { ca: sandbox.pki.ca.certPem } })
})
afterAll(async () => {
  await agent?.close()
})

const REDIRECT_URI = 'https://tpp.interop.test/callback'

/** What the bank answered openid-client, for the assertions on nonce challenges. */
const exchanges: { url: string; status: number; nonce: string | null }[] = []

/** openid-client's requests, through undici with the sandbox CA as the only trust anchor. */
const sandboxFetch: client.CustomFetch = async (url, options) => {
  const response = await undiciFetch(url, { ...options, dispatcher: agent } as never)
  exchanges.push({ url, status: response.status, nonce: response.headers.get('dpop-nonce') })
  return response as unknown as Response
}

function issuerOf(bank: Bank): URL {
  const service = sandbox.services.find((candidate) => candidate.name === 'bank-op')
  if (service === undefined) throw new Error('bank-op is not running')
  return new URL(`${service.url}/${bank.id}`)
}

function bankWith(match: (bank: Bank) => boolean): Bank {
  const found = sandbox.banks.find(({ bank }) => match(bank))
  if (found === undefined) throw new Error('the seed has no bank with that profile')
  return found.bank
}

/** A test user of `bank` for login_hint (the headless consent of a sandbox_automatic_consent client). */
async function testUserOf(bank: Bank): Promise<string> {
  const tenant = sandbox.banks.find((candidate) => candidate.bank.id === bank.id)
  const [user] = (await tenant?.db.all<{ username: string }>(
    'SELECT username FROM test_users ORDER BY username LIMIT 1',
  )) ?? [{ username: '' }]
  return user?.username ?? ''
}

/**
 * Registers a private_key_jwt client with openid-client's own dynamic registration (RFC 7591),
 * signing everything ES256 as the bank does, and consenting headlessly for the login_hint user.
 */
async function registerClient(bank: Bank, jarm: boolean) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const kid = `interop-${bank.id}`
  const config = await client.dynamicClientRegistration(
    issuerOf(bank),
    {
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] },
      grant_types: ['authorization_code', 'refresh_token'],
      id_token_signed_response_alg: 'ES256',
      introspection_signed_response_alg: 'ES256',
      dpop_bound_access_tokens: true,
      authorization_details_types: ['account_information'],
      ...(jarm
        ? {
            response_modes: ['jwt'],
            authorization_signed_response_alg: 'ES256',
            request_object_signing_alg: 'ES256',
          }
        : {}),
      sandbox_automatic_consent: 'approve',
    },
    client.PrivateKeyJwt(privateKey, {
      [client.modifyAssertion]: (header) => {
        header.kid = kid
      },
    }),
    { [client.customFetch]: sandboxFetch, algorithm: 'oidc' },
  )
  if (jarm) client.useJwtResponseMode(config)
  return { config, privateKey, kid }
}

/** The authorization endpoint's answer, without following it: the 303 to the redirect URI. */
async function authorize(url: URL): Promise<URL> {
  const response = await undiciFetch(url, { redirect: 'manual', dispatcher: agent })
  expect(response.status).toBe(303)
  const location = response.headers.get('location')
  if (location === null) throw new Error('no Location')
  return new URL(location)
}

describe.each([
  [
    'a DPoP bank',
    (bank: Bank) => bank.profile.senderConstraint === 'dpop' && !bank.profile.dpopNonceRequired,
  ],
  ['the DPoP bank with nonces, JAR and JARM', (bank: Bank) => bank.profile.dpopNonceRequired],
])('openid-client v6 against %s', (_name, match) => {
  test('registers, pushes, authorizes, exchanges, refreshes, introspects and revokes', async () => {
    const bank = bankWith(match)
    const messageSigning = bank.profile.requireSignedRequestObject
    const { config, privateKey, kid } = await registerClient(bank, messageSigning)
    const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'))

    const codeVerifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const nonce = client.randomNonce()
    let parameters: URLSearchParams | Record<string, string> = {
      redirect_uri: REDIRECT_URI,
      scope: 'openid accounts',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      login_hint: await testUserOf(bank),
      authorization_details: JSON.stringify([
        { type: 'account_information', actions: ['list_accounts', 'read_balances'] },
      ]),
    }
    if (messageSigning) {
      // FAPI 2.0 MS 5.3.1: the parameters travel in a signed request object, pushed.
      const withJar = await client.buildAuthorizationUrlWithJAR(config, parameters, {
        key: privateKey,
        kid,
      })
      parameters = withJar.searchParams
    }
    const authorizationUrl = await client.buildAuthorizationUrlWithPAR(config, parameters, {
      DPoP: dpop,
    })
    expect([...authorizationUrl.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])

    const callback = await authorize(authorizationUrl)
    // RFC 9207 iss beside the code, or JARM: only `response`, with iss inside (AS-ISS-01/02).
    expect([...callback.searchParams.keys()].sort()).toEqual(
      messageSigning ? ['response'] : ['code', 'iss', 'state'],
    )
    const tokens = await client.authorizationCodeGrant(
      config,
      callback,
      {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      },
      undefined,
      { DPoP: dpop },
    )
    expect(tokens.token_type.toLowerCase()).toBe('dpop')
    expect(tokens.refresh_token).toBeTypeOf('string')
    const claims = tokens.claims()
    expect(claims?.iss).toBe(issuerOf(bank).href)
    expect(tokens.authorization_details).toMatchObject([{ type: 'account_information' }])

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims?.sub ?? '', {
      DPoP: dpop,
    })
    expect(userinfo.sub).toBe(claims?.sub)

    const refreshed = await client.refreshTokenGrant(
      config,
      tokens.refresh_token ?? '',
      undefined,
      {
        DPoP: dpop,
      },
    )
    expect(refreshed.access_token).not.toBe(tokens.access_token)
    // FAPI 2.0 SP 5.3.2.1-9: no rotation.
    expect(refreshed.refresh_token ?? tokens.refresh_token).toBe(tokens.refresh_token)

    const introspection = await client.tokenIntrospection(config, refreshed.access_token)
    expect(introspection).toMatchObject({
      active: true,
      client_id: config.clientMetadata().client_id,
    })
    expect(introspection.cnf).toMatchObject({ jkt: expect.any(String) })

    await client.tokenRevocation(config, tokens.refresh_token ?? '')
    await expect(
      client.refreshTokenGrant(config, tokens.refresh_token ?? '', undefined, { DPoP: dpop }),
    ).rejects.toMatchObject({ error: 'invalid_grant' })
    expect(await client.tokenIntrospection(config, refreshed.access_token)).toEqual({
      active: false,
    })
  })
})
