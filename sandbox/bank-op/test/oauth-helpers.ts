/** Clients, assertions, DPoP proofs and the one assertion for OAuth rejections (STYLE 7.6). */
import { randomUUID } from 'node:crypto'
import {
  createClientAssertion,
  JWT_BEARER_CLIENT_ASSERTION_TYPE,
} from '@sandbox/fapi/client-assertion'
import { createDpopProof } from '@sandbox/fapi/dpop/proof'
import { cite } from '@sandbox/fapi/errors/describe'
import type { Rule } from '@sandbox/fapi/errors/oauth-error'
import { calculatePkceChallenge } from '@sandbox/fapi/pkce'
import type { ClientInformation } from '@sandbox/spec-types/oauth/registration'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import type { LightMyRequestResponse } from 'fastify'
import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose'
import { expect } from 'vitest'
import type { BankContext } from '../src/bank-context.js'
import type { TestBankOp } from './helpers.js'

export interface TestClient {
  clientId: string
  privateKey: CryptoKey
  publicJwk: JWK
  redirectUri: string
}

export const REDIRECT_URI = 'https://tpp.sandbox.test/cb'

export async function generateEs256(kid = randomUUID()) {
  const pair = await generateKeyPair('ES256', { extractable: true })
  const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' }
  return { privateKey: pair.privateKey, publicJwk }
}

export function contextOf(op: TestBankOp, bankId: string): BankContext {
  const context = op.contexts.get(bankId)
  if (context === undefined) throw new Error(`no bank ${bankId}`)
  return context
}

/** Registers a private_key_jwt client straight in the bank's database. */
export async function registerClient(
  context: BankContext,
  overrides: Partial<ClientInformation> & Partial<Pick<ClientRecord, 'automaticConsent'>> = {},
): Promise<TestClient> {
  const { automaticConsent, ...metadata } = overrides
  const clientId = metadata.client_id ?? `client-${randomUUID()}`
  const key = await generateEs256()
  const now = context.now()
  await context.store.clients.insert({
    clientId,
    metadata: {
      client_id: clientId,
      client_name: 'Test Fintech',
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: context.bank.profile.clientAuth,
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      ...(context.bank.profile.clientAuth === 'private_key_jwt'
        ? { jwks: { keys: [key.publicJwk as never] } }
        : { tls_client_auth_subject_dn: 'CN=test-fintech,O=Sandbox' }),
      ...metadata,
    },
    automaticConsent,
    createdAt: now,
    updatedAt: now,
  })
  return { clientId, ...key, redirectUri: REDIRECT_URI }
}

export async function clientAssertion(
  client: TestClient,
  context: BankContext,
  overrides: { aud?: unknown; now?: number; jti?: string } = {},
): Promise<string> {
  return createClientAssertion({
    clientId: client.clientId,
    issuer: (overrides.aud as string | undefined) ?? context.issuer,
    key: client.privateKey,
    alg: 'ES256',
    kid: client.publicJwk.kid as string,
    now: overrides.now ?? context.now(),
    jti: overrides.jti ?? randomUUID(),
  })
}

/** The form fields of private_key_jwt client authentication. */
export async function assertionFields(client: TestClient, context: BankContext) {
  return {
    client_id: client.clientId,
    client_assertion_type: JWT_BEARER_CLIENT_ASSERTION_TYPE,
    client_assertion: await clientAssertion(client, context),
  }
}

export interface DpopKey {
  privateKey: CryptoKey
  publicJwk: JWK
}

export async function dpopProof(
  key: DpopKey,
  context: BankContext,
  options: { htm?: string; url: string; nonce?: string; accessToken?: string; now?: number },
): Promise<string> {
  const { kid: _kid, alg: _alg, use: _use, ...jwk } = key.publicJwk
  return createDpopProof({
    key: key.privateKey,
    jwk,
    alg: 'ES256',
    htm: options.htm ?? 'POST',
    htu: options.url,
    now: options.now ?? context.now(),
    jti: randomUUID(),
    ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    ...(options.accessToken === undefined ? {} : { accessToken: options.accessToken }),
  })
}

export const CODE_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'

export async function pkce(verifier = CODE_VERIFIER) {
  return { code_challenge: await calculatePkceChallenge(verifier), code_challenge_method: 'S256' }
}

/** A form body, with arrays sent as repeated parameters. */
export function form(fields: Record<string, string | readonly string[] | undefined>): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue
    for (const item of typeof value === 'string' ? [value] : value) params.append(name, item)
  }
  return params.toString()
}

/** Path of an endpoint of a bank on the public listener, from its issuer. */
export function pathOf(context: BankContext, endpoint: string): string {
  return `/${context.bank.id}${endpoint}`
}

/**
 * The one assertion for rejections: status, `error`, the rule's clause in `error_description`,
 * `Cache-Control: no-store` and any other headers given.
 */
export function expectOAuthError(
  res: LightMyRequestResponse,
  expected: { rule: Rule; headers?: Record<string, string | RegExp> },
): { error: string; error_description: string } {
  const { rule } = expected
  expect({ status: res.statusCode, body: res.json().error }).toEqual({
    status: rule.status,
    body: rule.error,
  })
  const body = res.json() as { error: string; error_description: string }
  expect(body.error_description).toContain(`(${cite(rule.clause)})`)
  expect(body.error_description.startsWith(rule.summary)).toBe(true)
  expect(res.headers['cache-control']).toBe('no-store')
  expect(res.headers['content-type']).toMatch(/^application\/json/)
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    const actual = String(res.headers[name.toLowerCase()])
    if (typeof value === 'string') expect(actual).toBe(value)
    else expect(actual).toMatch(value)
  }
  return body
}
