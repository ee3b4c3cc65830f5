import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Bank } from '@sandbox/spec-types/banking/bank'
import { type BankDatabase, openBankDatabase } from '@sandbox/store/bank-database'
import { afterEach, describe, expect, test } from 'vitest'
import { healthPlugin } from '../src/health.js'
import { createServer } from '../src/server.js'
import { bankDatabaseProbes } from '../src/tenant.js'

const bank: Bank = {
  id: 'testbank',
  name: 'Test Bank',
  legalName: 'Test Bank plc',
  country: 'GB',
  currency: 'GBP',
  bic: 'TESTGB2L',
  brand: { primaryColour: '#123456', accentColour: '#abcdef' },
  profile: {
    senderConstraint: 'dpop',
    clientAuth: 'private_key_jwt',
    dpopNonceRequired: false,
    accessTokenLifetimeSeconds: 300,
    refreshTokenLifetimeSeconds: 86400,
    requireSignedRequestObject: false,
    authorizationResponseMode: 'query',
  },
}

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function bankDatabase(withBankRow: boolean): Promise<BankDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'tenant-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const database = await openBankDatabase(join(dir, `${bank.id}.sqlite`))
  cleanups.push(() => database.close())
  if (withBankRow) {
    const { brand, ...rest } = bank
    await database.bank.insert({
      ...rest,
      primaryColour: brand.primaryColour,
      accentColour: brand.accentColour,
      seed: 1,
      asOf: '2026-11-01',
      createdAt: '2026-11-01T00:00:00Z',
    })
  }
  return database
}

async function healthOf(database: BankDatabase) {
  const app = createServer()
  await app.register(healthPlugin, {
    service: 'bank-op',
    probes: bankDatabaseProbes([{ bank, db: database.db }]),
  })
  return app.inject({ method: 'GET', url: '/health' })
}

describe('bank database health probes', () => {
  test('is ok when every bank database holds its bank', async () => {
    const database = await bankDatabase(true)
    const res = await healthOf(database)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      service: 'bank-op',
      status: 'ok',
      checks: [{ name: 'bank testbank database', ok: true }],
    })
  })

  test('is degraded (503) when a database does not hold its bank', async () => {
    const database = await bankDatabase(false)
    const res = await healthOf(database)
    expect(res.statusCode).toBe(503)
    expect(res.json().checks[0]).toMatchObject({
      ok: false,
      detail: expect.stringContaining('holds no bank'),
    })
  })
})
