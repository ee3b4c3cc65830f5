/**
 * Grants, codes and customers put straight into a bank's state, so token endpoint tests do not
 * depend on the authorization endpoint (another engineer's), and the token request itself.
 */
import { randomUUID } from 'node:crypto'
import { calculateJwkThumbprint } from '@sandbox/fapi/dpop/thumbprint'
import type { PeerCertificate } from '@sandbox/service-kit/peer-certificate'
import type { AuthorizationDetails } from '@sandbox/spec-types/rar/authorization-details'
import type { CustomerRecord } from '@sandbox/store/repositories/customers'
import type { GrantRecord } from '@sandbox/store/repositories/grants'
import type { JWK } from 'jose'
import type { BankContext, IssuedCode } from '../src/bank-context.js'
import type { TestBankOp } from './helpers.js'
import {
  assertionFields,
  CODE_VERIFIER,
  type DpopKey,
  dpopProof,
  form,
  pkce,
  REDIRECT_URI,
  type TestClient,
} from './oauth-helpers.js'

export const ACCOUNT_DETAILS: AuthorizationDetails = [
  { type: 'account_information', actions: ['list_accounts', 'read_balances'], accounts: ['acc-1'] },
]

export const PAYMENT_DETAILS: AuthorizationDetails = [
  {
    type: 'payment_initiation',
    instructedAmount: { currency: 'EUR', amount: '10.00' },
    creditorName: 'Ada Lovelace',
    creditorAccount: { scheme: 'IBAN', iban: 'DE02100100109307118603' },
  },
]

/** Inserts a customer with the claims userinfo answers (idempotent per id). */
export async function seedCustomer(bank: BankContext, id = 'cust-1'): Promise<CustomerRecord> {
  const customer: CustomerRecord = {
    id,
    givenName: 'Ada',
    familyName: 'Lovelace',
    email: `${id}@example.test`,
    phone: '+44 20 7946 0000',
    addressLine: '1 Analytical Row',
    city: 'London',
    postcode: 'N1 9GU',
    country: 'GB',
    dateOfBirth: '1815-12-10',
    customerSince: '2020-01-01',
  }
  if ((await bank.store.customers.get(id)) === undefined) {
    await bank.store.customers.insertMany([customer])
  }
  return customer
}

export async function seedGrant(
  bank: BankContext,
  client: TestClient,
  overrides: Partial<GrantRecord> = {},
): Promise<GrantRecord> {
  await seedCustomer(bank, overrides.customerId)
  const now = bank.now()
  const grant: GrantRecord = {
    id: `grant-${randomUUID()}`,
    clientId: client.clientId,
    customerId: 'cust-1',
    status: 'active',
    scope: 'openid accounts',
    authorizationDetails: ACCOUNT_DETAILS,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  }
  await bank.store.grants.insert(grant)
  return grant
}

/** A code as the authorization endpoint stores it after consent, with its grant. */
export async function seedCode(
  bank: BankContext,
  client: TestClient,
  options: { grant?: Partial<GrantRecord>; code?: Partial<IssuedCode>; dpopKey?: DpopKey } = {},
): Promise<{ code: string; grant: GrantRecord }> {
  const grant = await seedGrant(bank, client, options.grant)
  const now = bank.now()
  const code = `code-${randomUUID()}`
  const dpopJkt =
    options.dpopKey === undefined ? undefined : await thumbprintOf(options.dpopKey.publicJwk)
  bank.codes.set(
    code,
    {
      clientId: client.clientId,
      redirectUri: REDIRECT_URI,
      codeChallenge: (await pkce()).code_challenge,
      dpopJkt,
      grantId: grant.id,
      customerId: grant.customerId,
      scope: grant.scope,
      authorizationDetails: grant.authorizationDetails,
      nonce: 'n-0S6_WzA2Mj',
      authTime: now - 5,
      acr: 'urn:sandbox:acr:otp',
      issuedAt: now,
      expiresAt: now + 60,
      ...options.code,
    },
    now + 60,
  )
  return { code, grant }
}

export async function thumbprintOf(jwk: JWK): Promise<string> {
  const { kid: _kid, alg: _alg, use: _use, ...bare } = jwk
  return calculateJwkThumbprint(bare)
}

/** The form fields of a code exchange by `client`, with private_key_jwt where the bank uses it. */
export async function codeExchangeFields(bank: BankContext, client: TestClient, code: string) {
  return {
    ...(await clientAuthFields(bank, client)),
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: CODE_VERIFIER,
  }
}

/** private_key_jwt fields, or only client_id at a tls_client_auth bank (RFC 8705 section 2). */
export async function clientAuthFields(bank: BankContext, client: TestClient) {
  return bank.bank.profile.clientAuth === 'private_key_jwt'
    ? assertionFields(client, bank)
    : { client_id: client.clientId }
}

/** POSTs a form to the bank's token endpoint, with a fresh DPoP proof by `dpopKey` when given. */
export async function requestToken(
  op: TestBankOp,
  bank: BankContext,
  fields: Record<string, string | readonly string[] | undefined>,
  options: { dpopKey?: DpopKey; nonce?: string; headers?: Record<string, string> } = {},
) {
  const dpop =
    options.dpopKey === undefined
      ? {}
      : {
          dpop: await dpopProof(options.dpopKey, bank, {
            url: `${bank.issuer}/token`,
            ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
          }),
        }
  return op.app.inject({
    method: 'POST',
    url: `/${bank.bank.id}/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...dpop, ...options.headers },
    payload: form(fields),
  })
}

/** A client certificate as the mTLS listener reads it: `seed` varies the DER bytes. */
export function testCertificate(seed: number): PeerCertificate {
  return {
    der: new Uint8Array(64).fill(seed),
    subjectDn: 'CN=test-fintech,O=Sandbox',
    sanDns: [],
    sanUri: [],
    sanIp: [],
    sanEmail: [],
    trusted: true,
  }
}
