import type { ClientRecord } from '@sandbox/store/repositories/clients'
import { expect, test } from 'vitest'
import {
  createClientJwksResolver,
  JWKS_URI_CACHE_SECONDS,
  JWKS_URI_FAILURE_CACHE_SECONDS,
} from '../../src/clients/client-jwks.js'

const key = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }

function client(metadata: Partial<ClientRecord['metadata']>): ClientRecord {
  return {
    clientId: 'c',
    metadata: {
      client_id: 'c',
      redirect_uris: ['https://tpp.example/cb'],
      token_endpoint_auth_method: 'private_key_jwt',
      ...metadata,
    },
    createdAt: 0,
    updatedAt: 0,
  }
}

test('registered jwks are used as they are, without fetching', async () => {
  const resolve = createClientJwksResolver({
    now: () => 0,
    fetchJwks: async () => {
      throw new Error('must not fetch')
    },
  })
  expect(await resolve(client({ jwks: { keys: [key as never] } }))).toEqual({ keys: [key] })
})

test('a jwks_uri document is fetched once per cache period (RFC 7591 section 2)', async () => {
  let now = 1000
  const fetched: string[] = []
  const resolve = createClientJwksResolver({
    now: () => now,
    fetchJwks: async (uri) => {
      fetched.push(uri)
      return { keys: [{ ...key, kid: `k${fetched.length}` }] }
    },
  })
  const registered = client({ jwks_uri: 'https://tpp.example/jwks' })
  expect((await resolve(registered))?.keys[0]?.kid).toBe('k1')
  now += JWKS_URI_CACHE_SECONDS - 1
  expect((await resolve(registered))?.keys[0]?.kid).toBe('k1')
  now += 1
  expect((await resolve(registered))?.keys[0]?.kid).toBe('k2')
  expect(fetched).toEqual(['https://tpp.example/jwks', 'https://tpp.example/jwks'])
})

test('an unreachable jwks_uri resolves to no keys, and is asked again after a short pause', async () => {
  let now = 0
  let reachable = false
  const resolve = createClientJwksResolver({
    now: () => now,
    fetchJwks: async () => (reachable ? { keys: [key] } : undefined),
  })
  const registered = client({ jwks_uri: 'https://tpp.example/jwks' })
  expect(await resolve(registered)).toBeUndefined()
  reachable = true
  expect(await resolve(registered)).toBeUndefined()
  now += JWKS_URI_FAILURE_CACHE_SECONDS
  expect(await resolve(registered)).toEqual({ keys: [key] })
  expect(await resolve(client({}))).toBeUndefined()
})
