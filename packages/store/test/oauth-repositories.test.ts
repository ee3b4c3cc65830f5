import { afterAll, beforeAll, expect, test } from 'vitest'
import { type BankDatabase, openBankDatabase } from '../src/bank-database.js'
import type { ClientRecord } from '../src/repositories/clients.js'
import { effectiveStatus, type GrantRecord } from '../src/repositories/grants.js'
import { temporaryDirectory } from './temp-file.js'

let temp: ReturnType<typeof temporaryDirectory>
let bank: BankDatabase

const client: ClientRecord = {
  clientId: 'fintech',
  metadata: {
    client_id: 'fintech',
    redirect_uris: ['https://localhost:4004/callback'],
    token_endpoint_auth_method: 'private_key_jwt',
    registration_access_token: 'never-stored',
  },
  registrationTokenHash: 'hash',
  createdAt: 100,
  updatedAt: 100,
}

const grant: GrantRecord = {
  id: 'grant-1',
  clientId: 'fintech',
  customerId: 'cus_1',
  status: 'active',
  scope: 'accounts',
  authorizationDetails: [
    {
      type: 'account_information',
      actions: ['list_accounts', 'read_balances'],
      accounts: ['acc_1'],
    },
  ],
  createdAt: 200,
  updatedAt: 200,
  expiresAt: 1000,
}

beforeAll(async () => {
  temp = temporaryDirectory()
  bank = await openBankDatabase(temp.file('bank.sqlite'))
  await bank.customers.insertMany([
    {
      id: 'cus_1',
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
  await bank.clients.insert(client)
  await bank.grants.insert(grant)
})

afterAll(async () => {
  await bank.close()
  temp.remove()
})

test('a client round-trips without its registration access token', async () => {
  const stored = await bank.clients.get('fintech')
  expect(stored?.metadata.registration_access_token).toBeUndefined()
  expect(stored?.metadata.redirect_uris).toEqual(['https://localhost:4004/callback'])
  expect(stored?.registrationTokenHash).toBe('hash')
})

test('upsert keeps the creation time and replaces the metadata', async () => {
  await bank.clients.upsert({
    ...client,
    metadata: { ...client.metadata, client_name: 'Demo fintech' },
    createdAt: 999,
    updatedAt: 300,
  })
  const stored = await bank.clients.get('fintech')
  expect(stored?.metadata.client_name).toBe('Demo fintech')
  expect(stored?.createdAt).toBe(100)
  expect(stored?.updatedAt).toBe(300)
})

test('a grant round-trips with its authorization details', async () => {
  expect(await bank.grants.get('grant-1')).toEqual(grant)
  expect(await bank.grants.listByCustomer('cus_1')).toEqual([grant])
})

test('the newest grants of every customer are listed for the console', async () => {
  expect(await bank.grants.listRecent(10)).toEqual([grant])
})

test('customers are found by a part of their name, email or id, with LIKE wildcards taken literally', async () => {
  expect((await bank.customers.search('love')).map((c) => c.id)).toEqual(['cus_1'])
  expect((await bank.customers.search('ADA@EXAMPLE')).map((c) => c.id)).toEqual(['cus_1'])
  expect((await bank.customers.search('cus_')).map((c) => c.id)).toEqual(['cus_1'])
  expect(await bank.customers.search('%')).toEqual([])
  expect(await bank.customers.search('Ada_Lovelace')).toEqual([])
})

test('a grant reads as expired once past its expiry', () => {
  expect(effectiveStatus(grant, 999)).toBe('active')
  expect(effectiveStatus(grant, 1000)).toBe('expired')
})

test('revoking a grant ends its refresh tokens, once', async () => {
  await bank.refreshTokens.insert({
    tokenHash: 'rt-hash',
    grantId: 'grant-1',
    clientId: 'fintech',
    cnf: { jkt: 'thumb' },
    createdAt: 200,
    expiresAt: 5000,
  })
  expect(await bank.grants.revoke('grant-1', 400, 'revoked by the user')).toBe(true)
  expect(await bank.grants.revoke('grant-1', 401, 'again')).toBe(false)
  const revoked = await bank.grants.get('grant-1')
  expect(revoked).toMatchObject({
    status: 'revoked',
    revokedAt: 400,
    revokedReason: 'revoked by the user',
  })
  expect((await bank.refreshTokens.get('rt-hash'))?.revokedAt).toBe(400)
})

test('a refresh token is bound to exactly one key', async () => {
  await expect(
    bank.db.run({
      purpose: 'insert unbound refresh token',
      sql: `INSERT INTO refresh_tokens VALUES ('x', 'grant-1', 'fintech', NULL, NULL, NULL, 1, 2, NULL)`,
    }),
  ).rejects.toThrow(/CHECK constraint/)
})

test('revoked access tokens are listed until they expire', async () => {
  await bank.revokedAccessTokens.revoke('jti-1', 500)
  await bank.revokedAccessTokens.revoke('jti-1', 500)
  expect(await bank.revokedAccessTokens.isRevoked('jti-1')).toBe(true)
  expect(await bank.revokedAccessTokens.sweep(500)).toBe(1)
  expect(await bank.revokedAccessTokens.isRevoked('jti-1')).toBe(false)
})

test('deleting a client deletes its grants and refresh tokens', async () => {
  expect(await bank.clients.delete('fintech')).toBe(true)
  expect(await bank.grants.get('grant-1')).toBeUndefined()
  expect(await bank.refreshTokens.get('rt-hash')).toBeUndefined()
})
