/** Customers, grants and refresh tokens written straight into a bank's database, and access tokens the bank signs, for route tests. */
import { randomUUID } from 'node:crypto'
import { type IssueAccessTokenOptions, issueAccessToken } from '@sandbox/fapi/access-token'
import type { GrantRecord } from '@sandbox/store/repositories/grants'
import type { RefreshTokenRecord } from '@sandbox/store/repositories/refresh-tokens'
import type { BankContext } from '../src/bank-context.js'
import { hashToken, randomToken } from '../src/random.js'

/** A customer to own grants (grants reference customers). */
export async function insertCustomer(bank: BankContext): Promise<string> {
  const id = `cus_${randomUUID()}`
  await bank.store.customers.insertMany([
    {
      id,
      givenName: 'Ada',
      familyName: 'Lovelace',
      email: 'ada@example.com',
      phone: '+44 20 7946 0000',
      addressLine: '1 High Street',
      city: 'Leeds',
      postcode: 'LS1 1AA',
      country: 'GB',
      dateOfBirth: '1990-01-01',
      customerSince: '2015-03-01',
    },
  ])
  return id
}

/** An active grant of `clientId` for a new customer. */
export async function insertGrant(
  bank: BankContext,
  clientId: string,
  overrides: Partial<GrantRecord> = {},
): Promise<GrantRecord> {
  const now = bank.now()
  const grant: GrantRecord = {
    id: `grant-${randomUUID()}`,
    clientId,
    customerId: await insertCustomer(bank),
    status: 'active',
    scope: 'openid accounts',
    authorizationDetails: [
      { type: 'account_information', actions: ['list_accounts'], accounts: ['acc_1'] },
    ],
    createdAt: now,
    updatedAt: now,
    expiresAt: now + 90 * 24 * 3600,
    ...overrides,
  }
  await bank.store.grants.insert(grant)
  return grant
}

/** A refresh token of the grant, stored as its hash; returns the token itself. */
export async function insertRefreshToken(
  bank: BankContext,
  grant: GrantRecord,
  overrides: Partial<RefreshTokenRecord> = {},
): Promise<{ token: string; record: RefreshTokenRecord }> {
  const token = randomToken(bank.random)
  const now = bank.now()
  const record: RefreshTokenRecord = {
    tokenHash: await hashToken(token),
    grantId: grant.id,
    clientId: grant.clientId,
    cnf: { jkt: 'aTThzvgUMkZjS-m5O_mlYQKiUd6BvGiW-z5DkAY1rH0' },
    scope: grant.scope,
    createdAt: now,
    expiresAt: now + bank.bank.profile.refreshTokenLifetimeSeconds,
    ...overrides,
  }
  await bank.store.refreshTokens.insert(record)
  return { token, record }
}

/** An access token the bank signed for its resource server, bound to a DPoP key, under `grant`. */
export async function issueTestAccessToken(
  bank: BankContext,
  grant: Pick<GrantRecord, 'id' | 'clientId' | 'customerId' | 'scope' | 'authorizationDetails'>,
  overrides: Partial<IssueAccessTokenOptions> = {},
) {
  const { privateKey, kid, alg } = bank.keys.signingKey()
  return issueAccessToken({
    issuer: bank.issuer,
    audience: bank.resourceServer,
    clientId: grant.clientId,
    subject: grant.customerId,
    scope: grant.scope,
    grantId: grant.id,
    authorizationDetails: grant.authorizationDetails,
    cnf: { jkt: 'aTThzvgUMkZjS-m5O_mlYQKiUd6BvGiW-z5DkAY1rH0' },
    now: bank.now(),
    lifetimeSeconds: 300,
    key: { key: privateKey, kid, alg },
    ...overrides,
  })
}
