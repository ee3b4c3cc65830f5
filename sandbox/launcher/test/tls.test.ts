import { request as httpRequest } from 'node:http'
import { type ConnectionOptions, connect } from 'node:tls'
import { beforeAll, describe, expect, test } from 'vitest'
import type { RunningSandbox } from '../src/launch.js'
import { SERVICES } from '../src/services.js'
import { useLaunchedSandbox } from './launched-sandbox.js'

const launched = useLaunchedSandbox('launch-tls')
let sandbox: RunningSandbox

beforeAll(() => {
  sandbox = launched.sandbox
})

type Handshake = { protocol: string | null; cipher: string } | { refused: string }

/** Opens a TLS connection trusting only the sandbox CA and reports what was negotiated. */
function handshake(port: number, options: ConnectionOptions): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = connect(
      { host: '127.0.0.1', port, servername: 'localhost', ca: sandbox.pki.ca.certPem, ...options },
      () => {
        resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().name })
        socket.end()
      },
    )
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ refused: error.code ?? '' }))
  })
}

// OpenSSL 3 refuses to offer TLS 1.0/1.1 at its default security level; level 0 lets the client
// try, so the refusal seen is the server's.
const LEGACY = { ciphers: 'DEFAULT@SECLEVEL=0' }

describe.each(SERVICES.flatMap(({ listeners }) => listeners.map(({ name }) => [name])))(
  'the %s listener (FAPI 2.0 SP 5.2.1, 5.2.2)',
  (name) => {
    const port = () => {
      const service = sandbox.services.find((candidate) => candidate.name === name)
      if (service === undefined) throw new Error(`no ${name} listener`)
      return service.port
    }

    test.each([
      ['TLSv1', 'TLSv1'],
      ['TLSv1.1', 'TLSv1.1'],
    ] as const)('refuses %s (AS-TLS-02)', async (minVersion, maxVersion) => {
      expect(await handshake(port(), { ...LEGACY, minVersion, maxVersion })).toEqual({
        refused: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
      })
    })

    // Suites Node's default list would accept with the sandbox's ECDSA certificate.
    test.each([
      'ECDHE-ECDSA-AES128-SHA256',
      'ECDHE-ECDSA-AES256-SHA',
      'ECDHE-ECDSA-CHACHA20-POLY1305',
    ])('refuses TLS 1.2 with %s (AS-TLS-03)', async (cipher) => {
      const result = await handshake(port(), { maxVersion: 'TLSv1.2', ciphers: cipher })
      expect(result).toEqual({ refused: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' })
    })

    test.each(['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384'])(
      'accepts TLS 1.2 with %s (AS-TLS-03)',
      async (cipher) => {
        const result = await handshake(port(), { maxVersion: 'TLSv1.2', ciphers: cipher })
        expect(result).toEqual({ protocol: 'TLSv1.2', cipher })
      },
    )

    test('prefers TLS 1.3 (AS-TLS-02)', async () => {
      expect(await handshake(port(), {})).toMatchObject({ protocol: 'TLSv1.3' })
    })

    test('never answers plain HTTP (AS-TLS-01)', async () => {
      const outcome = await new Promise<string>((resolve) => {
        const req = httpRequest({ host: '127.0.0.1', port: port(), path: '/health' }, (res) =>
          resolve(`HTTP ${res.statusCode}`),
        )
        req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
        req.end()
      })
      expect(outcome).not.toMatch(/^HTTP/)
    })
  },
)
