import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type RequestOptions, request, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createCertificateAuthority } from '../src/certificate-authority.js'
import { readCertificateIdentity } from '../src/certificate-identity.js'
import { certificateThumbprint } from '../src/certificate-thumbprint.js'
import { issueClientCertificate } from '../src/client-certificate.js'
import { ensureSandboxPki, type SandboxPki } from '../src/sandbox-pki.js'
import { tempDir } from './temp-dir.js'

let pki: SandboxPki
const servers: Server[] = []

beforeAll(async () => {
  pki = await ensureSandboxPki(await tempDir())
})

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    }),
  )
})

async function listen(
  options: Parameters<typeof createServer>[0],
  host = '127.0.0.1',
): Promise<number> {
  const server = createServer(options, (req, res) => {
    const socket = req.socket as TLSSocket
    const peer = socket.getPeerCertificate(false)
    const presented = peer !== null && 'raw' in peer && peer.raw !== undefined
    res.setHeader('content-type', 'application/json')
    res.end(
      JSON.stringify({
        authorized: socket.authorized,
        authorizationError: socket.authorizationError?.toString() ?? null,
        subjectCn: presented ? peer.subject.CN : null,
        rawSha256: presented ? createHash('sha256').update(peer.raw).digest('base64url') : null,
        thumbprint: presented ? certificateThumbprint(peer) : null,
        subjectDn: presented ? readCertificateIdentity(peer).subjectDn : null,
      }),
    )
  })
  servers.push(server)
  server.listen(0, host)
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

function get(options: RequestOptions): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request({ method: 'GET', path: '/', agent: false, ...options }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () => resolve(JSON.parse(body)))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('HTTPS with the sandbox server certificate', () => {
  it('is reached by name (servername localhost) by a client trusting only the CA', async () => {
    const port = await listen({ cert: pki.server.certPem, key: pki.server.keyPem })
    const body = await get({ host: '127.0.0.1', port, servername: 'localhost', ca: pki.ca.certPem })
    expect(body.authorized).toBe(false) // no client certificate requested
  })

  it('is reached by IP address 127.0.0.1 (iPAddress SAN)', async () => {
    const port = await listen({ cert: pki.server.certPem, key: pki.server.keyPem })
    await expect(get({ host: '127.0.0.1', port, ca: pki.ca.certPem })).resolves.toBeDefined()
  })

  it('is reached by IP address ::1 when the host has IPv6 loopback', async (context) => {
    let port: number
    try {
      port = await listen({ cert: pki.server.certPem, key: pki.server.keyPem }, '::1')
    } catch {
      context.skip()
      return
    }
    await expect(get({ host: '::1', port, ca: pki.ca.certPem })).resolves.toBeDefined()
  })

  it('is refused by a client that does not trust the sandbox CA', async () => {
    const port = await listen({ cert: pki.server.certPem, key: pki.server.keyPem })
    const stranger = await createCertificateAuthority()
    await expect(
      get({ host: '127.0.0.1', port, servername: 'localhost', ca: stranger.certPem }),
    ).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
    // Node's default root store does not hold the sandbox CA either.
    await expect(get({ host: '127.0.0.1', port, servername: 'localhost' })).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    })
  })

  it('is refused for a host name it does not cover', async () => {
    const port = await listen({ cert: pki.server.certPem, key: pki.server.keyPem })
    await expect(
      get({ host: '127.0.0.1', port, servername: 'bank.example', ca: pki.ca.certPem }),
    ).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' })
  })
})

describe('mutual TLS with the fintech client certificate (RFC 8705 2.1)', () => {
  const mtlsServer = () =>
    listen({
      cert: pki.server.certPem,
      key: pki.server.keyPem,
      ca: pki.ca.certPem,
      requestCert: true,
      rejectUnauthorized: false,
    })

  it('authorizes the fintech certificate and reads its subject and x5t#S256', async () => {
    const port = await mtlsServer()
    const body = await get({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: pki.ca.certPem,
      cert: pki.clients.fintech.certPem,
      key: pki.clients.fintech.keyPem,
    })
    expect(body).toMatchObject({
      authorized: true,
      authorizationError: null,
      subjectCn: 'demo-fintech',
      subjectDn: 'CN=demo-fintech,O=Demo Fintech Ltd,C=GB',
    })
    expect(body.thumbprint).toBe(body.rawSha256)
    expect(body.thumbprint).toBe(certificateThumbprint(pki.clients.fintech.certPem))
  })

  it('does not authorize a client certificate from another CA', async () => {
    const port = await mtlsServer()
    const otherCa = await createCertificateAuthority({ commonName: 'Impostor CA' })
    const impostor = await issueClientCertificate(otherCa, {
      commonName: 'demo-fintech',
      organization: 'Demo Fintech Ltd',
      country: 'GB',
    })
    const body = await get({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: pki.ca.certPem,
      cert: impostor.certPem,
      key: impostor.keyPem,
    })
    expect(body).toMatchObject({
      authorized: false,
      authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      subjectCn: 'demo-fintech',
    })
    expect(body.thumbprint).not.toBe(certificateThumbprint(pki.clients.fintech.certPem))
  })

  it('sees no certificate when the client sends none', async () => {
    const port = await mtlsServer()
    const body = await get({ host: '127.0.0.1', port, servername: 'localhost', ca: pki.ca.certPem })
    expect(body).toMatchObject({ authorized: false, thumbprint: null })
  })
})
