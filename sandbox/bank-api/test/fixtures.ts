/**
 * bank-api over freshly seeded banks (the four test personas each), an authorization server
 * stand-in that signs access tokens with a key the APIs trust, grants written into each bank's
 * database, and DPoP proofs or client certificates to present the tokens with.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AuthorizationDetailsClaim, issueAccessToken } from '@sandbox/fapi/access-token'
import { createDpopProof } from '@sandbox/fapi/dpop/proof'
import { calculateJwkThumbprint } from '@sandbox/fapi/dpop/thumbprint'
import { calculateCertificateThumbprint } from '@sandbox/fapi/mtls'
import { BANKS, type BankDefinition, bankOfDefinition } from '@sandbox/seed/banks'
import { seedBank } from '@sandbox/seed/seed-bank'
import type { PeerCertificate } from '@sandbox/service-kit/peer-certificate'
import type { BankTenant } from '@sandbox/service-kit/tenant'
import { openBankDatabase } from '@sandbox/store/bank-database'
import type { Database } from '@sandbox/store/database'
import type { ClientRepository } from '@sandbox/store/repositories/clients'
import type { GrantRecord } from '@sandbox/store/repositories/grants'
import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose'
import type { ApiBank } from '../src/api-bank.js'
import { type BankApi, buildBankApi, type TrustedIssuer } from '../src/app.js'

export const API_BASE_URL = 'https://bank-api.sandbox.test:4003'
export const ISSUER_BASE_URL = 'https://bank-op.sandbox.test:4001'
export const CLIENT_ID = 'fintech-test'
export const OTHER_CLIENT_ID = 'other-fintech'

/** The seed's bank as the services see it. */
export const toBank = bankOfDefinition

const bankWhere = (match: (definition: BankDefinition) => boolean): string => {
  const found = BANKS.find(match)
  if (found === undefined) throw new Error('the seed has no bank with that profile')
  return found.id
}
/** The DPoP bank without nonces, the mTLS bank, and the DPoP bank that demands nonces. */
export const DPOP_BANK = bankWhere(
  (b) => b.profile.senderConstraint === 'dpop' && !b.profile.dpopNonceRequired,
)
export const MTLS_BANK = bankWhere((b) => b.profile.senderConstraint === 'mtls')
export const NONCE_BANK = bankWhere((b) => b.profile.dpopNonceRequired)

/** A clock tests move by hand. */
export function manualClock(start = '2026-11-01T09:00:00Z') {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    advance(seconds: number) {
      current = new Date(current.getTime() + seconds * 1000)
    },
  }
}

/** A self-made client certificate stand-in: only its DER bytes matter to a bound token. */
export function testCertificate(seed: number): PeerCertificate {
  return {
    der: new Uint8Array(64).fill(seed),
    subjectDn: `CN=client-${seed}`,
    sanDns: [],
    sanUri: [],
    sanIp: [],
    sanEmail: [],
    trusted: true,
  }
}

export interface HolderKey {
  privateKey: CryptoKey
  publicJwk: JWK
  jkt: string
}

export async function holderKey(): Promise<HolderKey> {
  const pair = await generateKeyPair('ES256')
  const publicJwk = await exportJWK(pair.publicKey)
  return { privateKey: pair.privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk) }
}

export interface TestApi extends BankApi {
  clock: ReturnType<typeof manualClock>
  /** The certificate each inject call presents, by header `x-test-certificate` (a seed number). */
  issuerKey: { privateKey: CryptoKey; kid: string }
  bankOf(id: string): ApiBank
  /** The bank's database itself, for counting what a request must not have written. */
  databaseOf(id: string): Database
  /** The customer id of a seeded test persona (`alice`, `bob`, `carol`, `dave`). */
  customerOf(bankId: string, username: string): Promise<string>
  close(): Promise<void>
}

/** Seeds a bank with the four test personas and a year of their history. */
async function seedPersonas(dir: string, definition: BankDefinition): Promise<string> {
  const file = join(dir, `${definition.id}.sqlite`)
  await seedBank(file, definition, { seed: 7, customers: 4 })
  return file
}

/** The clients grants name (grants reference clients): the test fintech and a second one. */
async function registerClients(clients: ClientRepository, definition: BankDefinition) {
  for (const clientId of [CLIENT_ID, OTHER_CLIENT_ID]) {
    await clients.insert({
      clientId,
      metadata: {
        client_id: clientId,
        client_name: 'Test Fintech',
        redirect_uris: ['https://tpp.sandbox.test/cb'],
        token_endpoint_auth_method: definition.profile.clientAuth,
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      },
      createdAt: 0,
      updatedAt: 0,
    })
  }
}

/** Builds bank-api over every seeded bank, in a temporary folder removed by `close`. */
export async function buildTestApi(): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'bank-api-'))
  const clock = manualClock()
  const pair = await generateKeyPair('ES256')
  const kid = 'test-as-key'
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' }] }
  const tenants: BankTenant[] = []
  const issuers = new Map<string, TrustedIssuer>()
  for (const definition of BANKS) {
    const database = await openBankDatabase(await seedPersonas(dir, definition))
    await registerClients(database.clients, definition)
    tenants.push({ bank: toBank(definition), db: database.db })
    issuers.set(definition.id, { issuer: `${ISSUER_BASE_URL}/${definition.id}`, keys: () => jwks })
  }
  const api = await buildBankApi(
    { tenants, publicBaseUrl: API_BASE_URL, issuers },
    {
      now: clock.now,
      // The lifecycle moves on reads, by the manual clock: no timer races an assertion.
      paymentTickMs: 0,
      peerCertificate: (request) => {
        const seed = request.headers['x-test-certificate']
        return typeof seed === 'string' ? testCertificate(Number(seed)) : undefined
      },
    },
  )
  return {
    ...api,
    clock,
    issuerKey: { privateKey: pair.privateKey, kid },
    databaseOf(id) {
      const tenant = tenants.find(({ bank }) => bank.id === id)
      if (tenant === undefined) throw new Error(`no bank ${id}`)
      return tenant.db
    },
    bankOf(id) {
      const bank = api.banks.get(id)
      if (bank === undefined) throw new Error(`no bank ${id}`)
      return bank
    },
    async customerOf(bankId, username) {
      const user = await api.banks.get(bankId)?.store.testUsers.get(username)
      if (user === undefined) throw new Error(`no test user ${username} at ${bankId}`)
      return user.customerId
    },
    async close() {
      await api.app.close()
      await Promise.all(tenants.map(({ db }) => db.close()))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A grant written into the bank's database, as the authorization server records a consent. */
export async function insertGrant(
  api: TestApi,
  bankId: string,
  customerId: string,
  authorizationDetails: AuthorizationDetailsClaim,
  overrides: Partial<GrantRecord> = {},
): Promise<GrantRecord> {
  const now = api.bankOf(bankId).now()
  const grant: GrantRecord = {
    id: `grant-${randomUUID()}`,
    clientId: CLIENT_ID,
    customerId,
    status: 'active',
    authorizationDetails: authorizationDetails as GrantRecord['authorizationDetails'],
    createdAt: now,
    updatedAt: now,
    expiresAt: now + 90 * 24 * 3600,
    ...overrides,
  }
  await api.bankOf(bankId).store.grants.insert(grant)
  return grant
}

export interface TokenOptions {
  grant?: GrantRecord | undefined
  /** client_credentials: no grant, `sub` is the client. */
  clientId?: string
  scope?: string
  holder?: HolderKey
  certificateSeed?: number
  issuer?: string
  audience?: string
  lifetimeSeconds?: number
}

/** An access token as the bank's authorization server issues it, bound to `holder` or a certificate. */
export async function issueToken(api: TestApi, bankId: string, options: TokenOptions) {
  const bank = api.bankOf(bankId)
  const { grant } = options
  const cnf =
    options.certificateSeed !== undefined
      ? {
          'x5t#S256': await calculateCertificateThumbprint(
            testCertificate(options.certificateSeed).der,
          ),
        }
      : { jkt: (options.holder as HolderKey).jkt }
  const { token } = await issueAccessToken({
    issuer: options.issuer ?? bank.trusted.issuer,
    audience: options.audience ?? bank.baseUrl,
    clientId: grant?.clientId ?? options.clientId ?? CLIENT_ID,
    subject: grant?.customerId,
    scope: options.scope,
    grantId: grant?.id,
    authorizationDetails: grant?.authorizationDetails as AuthorizationDetailsClaim | undefined,
    cnf,
    now: bank.now(),
    lifetimeSeconds: options.lifetimeSeconds ?? 300,
    key: { key: api.issuerKey.privateKey, kid: api.issuerKey.kid, alg: 'ES256' },
  })
  return token
}

/** A DPoP proof for a call to `path` of the bank's APIs (a fresh jti each time). */
export async function proofFor(
  api: TestApi,
  bankId: string,
  holder: HolderKey,
  options: { method?: string; path: string; token?: string; nonce?: string; now?: number },
): Promise<string> {
  const bank = api.bankOf(bankId)
  return createDpopProof({
    key: holder.privateKey,
    jwk: holder.publicJwk,
    alg: 'ES256',
    htm: options.method ?? 'GET',
    htu: `${bank.baseUrl}${options.path.split('?', 1)[0]}`,
    now: options.now ?? bank.now(),
    jti: randomUUID(),
    ...(options.token === undefined ? {} : { accessToken: options.token }),
    ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
  })
}

export interface CallOptions {
  method?: 'GET' | 'POST'
  path: string
  token: string
  holder?: HolderKey
  certificateSeed?: number
  headers?: Record<string, string>
  body?: unknown
  nonce?: string
}

/** Calls the bank's APIs as the token's holder: DPoP with a proof, or Bearer over "mutual TLS". */
export async function call(api: TestApi, bankId: string, options: CallOptions) {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = { ...options.headers }
  if (options.holder !== undefined) {
    headers.authorization = `DPoP ${options.token}`
    headers.dpop = await proofFor(api, bankId, options.holder, {
      method,
      path: options.path,
      token: options.token,
      ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    })
  } else {
    headers.authorization = `Bearer ${options.token}`
  }
  if (options.certificateSeed !== undefined) {
    headers['x-test-certificate'] = String(options.certificateSeed)
  }
  return api.app.inject({
    method,
    url: `/${bankId}${options.path}`,
    headers,
    ...(options.body === undefined ? {} : { payload: options.body as object }),
  })
}
