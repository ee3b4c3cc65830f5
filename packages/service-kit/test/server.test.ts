import { Agent, request } from 'node:http'
import { describe, expect, test } from 'vitest'
import { closeServer, createServer } from '../src/server.js'

describe('closeServer', () => {
  test('lets a request in flight finish, then closes despite a kept-alive connection', async () => {
    const app = createServer()
    let release: () => void = () => undefined
    app.get('/slow', () => new Promise((resolve) => (release = () => resolve({ done: true }))))
    await app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : 0

    const agent = new Agent({ keepAlive: true })
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/slow', agent }, (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString()
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
        .on('error', reject)
        .end()
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    const closed = closeServer(app, 200)
    release()
    expect(await response).toEqual({ status: 200, body: '{"done":true}' })
    await closed
    expect(app.server.listening).toBe(false)
    agent.destroy()
  })
})
