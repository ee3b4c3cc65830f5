import { describe, expect, test } from 'vitest'
import { buildBankApi } from '../src/app.js'

describe('buildBankApi', () => {
  test('builds without listening and reports itself as bank-api', async () => {
    const { app } = await buildBankApi({
      tenants: [],
      publicBaseUrl: 'https://bank-api.sandbox.test',
      issuers: new Map(),
    })
    const res = await app.inject({ method: 'GET', url: '/health' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ service: 'bank-api', status: 'ok', checks: [] })
    expect(app.server.listening).toBe(false)
  })
})
