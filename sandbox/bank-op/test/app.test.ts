import { describe, expect, test } from 'vitest'
import { buildBankOp } from '../src/app.js'

describe('buildBankOp', () => {
  test('builds without listening and reports itself as bank-op', async () => {
    const app = await buildBankOp({ tenants: [] })
    const res = await app.inject({ method: 'GET', url: '/health' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ service: 'bank-op', status: 'ok', checks: [] })
    expect(app.server.listening).toBe(false)
  })
})
