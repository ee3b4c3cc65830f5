import { describe, expect, test } from 'vitest'
import { healthPlugin } from '../src/health.js'
import { createServer } from '../src/server.js'

async function appWith(probes: Array<{ name: string; probe: () => Promise<unknown> }>) {
  const app = createServer()
  await app.register(healthPlugin, { service: 'demo', probes })
  return app
}

describe('GET /health', () => {
  test('answers 200 with every check passed, never cached', async () => {
    const app = await appWith([{ name: 'db', probe: async () => 1 }])
    const res = await app.inject({ method: 'GET', url: '/health' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.json()).toEqual({
      service: 'demo',
      status: 'ok',
      checks: [{ name: 'db', ok: true }],
    })
  })

  test('answers 503 naming the failed dependency and why', async () => {
    const app = await appWith([
      { name: 'db a', probe: async () => 1 },
      { name: 'db b', probe: () => Promise.reject(new Error('SQLITE_CANTOPEN')) },
    ])
    const res = await app.inject({ method: 'GET', url: '/health' })
    expect(res.statusCode).toBe(503)
    expect(res.json()).toEqual({
      service: 'demo',
      status: 'degraded',
      checks: [
        { name: 'db a', ok: true },
        { name: 'db b', ok: false, detail: 'SQLITE_CANTOPEN' },
      ],
    })
  })
})
