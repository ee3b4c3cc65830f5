import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { buildBankOp } from '../src/app.js'
import { PUBLIC_BASE_URL, RESOURCE_BASE_URL } from './helpers.js'

describe('buildBankOp', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bank-op-app-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  test('builds without listening and reports itself as bank-op', async () => {
    const app = await buildBankOp({
      tenants: [],
      publicBaseUrl: PUBLIC_BASE_URL,
      resourceBaseUrl: RESOURCE_BASE_URL,
      keysDir: join(dataDir, 'keys'),
    })
    const res = await app.inject({ method: 'GET', url: '/health' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ service: 'bank-op', status: 'ok', checks: [] })
    expect(app.server.listening).toBe(false)
  })
})
