/** The configuration file that points the fintech at any FAPI 2.0 provider: valid, and each mistake named. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportJWK, generateKeyPair } from 'jose'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { loadFintechConfigFile } from '../src/config-file.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fintech-config-'))
  writeFileSync(join(dir, 'server.pem'), '-----BEGIN CERTIFICATE-----\n')
  writeFileSync(join(dir, 'server-key.pem'), '-----BEGIN PRIVATE KEY-----\n')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function writeKey(alg: string) {
  const { privateKey } = await generateKeyPair(alg === 'RS256' ? 'RS256' : 'ES256', {
    extractable: true,
  })
  writeFileSync(
    join(dir, 'client.jwk.json'),
    JSON.stringify({ ...(await exportJWK(privateKey)), alg, kid: 'k1' }),
  )
}

function writeConfig(provider: Record<string, unknown>) {
  const file = join(dir, 'fintech.json')
  writeFileSync(
    file,
    JSON.stringify({
      publicUrl: 'https://localhost:8450/',
      port: 8450,
      tls: { cert: 'server.pem', key: 'server-key.pem' },
      providers: [
        {
          id: 'mybank',
          name: 'My Bank',
          issuer: 'https://as.example.test/',
          clientId: 'client-1',
          clientAuth: 'private_key_jwt',
          privateJwk: 'client.jwk.json',
          senderConstraint: 'dpop',
          apiBaseUrl: 'https://api.example.test/ob/',
          currency: 'EUR',
          ...provider,
        },
      ],
    }),
  )
  return file
}

describe('loadFintechConfigFile', () => {
  test('reads a private_key_jwt + DPoP provider, its key, and the redirect URI', async () => {
    await writeKey('ES256')
    const { config, port, host } = await loadFintechConfigFile(writeConfig({}))
    expect({ port, host }).toEqual({ port: 8450, host: 'localhost' })
    expect(config.redirectUris).toEqual(['https://localhost:8450/callback'])
    const [provider] = config.providers
    expect(provider).toMatchObject({
      id: 'mybank',
      issuer: 'https://as.example.test/',
      clientAuth: { method: 'private_key_jwt', kid: 'k1', alg: 'ES256' },
      senderConstraint: 'dpop',
      responseMode: 'query',
      apiBaseUrl: 'https://api.example.test/ob',
    })
  })

  test.each([
    [
      'a non-FAPI key algorithm',
      async () => writeKey('RS256'),
      {},
      /alg must be one of PS256, ES256, EdDSA/,
    ],
    [
      'private_key_jwt without a key',
      async () => undefined,
      { privateJwk: undefined },
      /needs privateJwk/,
    ],
    [
      'mutual TLS without a certificate',
      async () => writeKey('ES256'),
      { senderConstraint: 'mtls' },
      /needs certificate/,
    ],
    [
      'an http issuer',
      async () => writeKey('ES256'),
      { issuer: 'http://as.example.test' },
      /\/providers\/0\/issuer/,
    ],
    ['an unknown member', async () => writeKey('ES256'), { colour: 'red' }, /\/providers\/0/],
  ])('names the mistake: %s', async (_, prepare, provider, message) => {
    await prepare()
    await expect(loadFintechConfigFile(writeConfig(provider))).rejects.toThrow(message)
  })
})
