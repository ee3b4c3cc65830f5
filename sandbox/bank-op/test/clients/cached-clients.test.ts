import type { ClientRecord, ClientRepository } from '@sandbox/store/repositories/clients'
import { expect, test } from 'vitest'
import { CLIENT_CACHE_SECONDS, cachedClientRepository } from '../../src/clients/cached-clients.js'

function fakeRepository(rows: Map<string, ClientRecord>) {
  let reads = 0
  const repository = {
    get: async (id: string) => {
      reads += 1
      return rows.get(id)
    },
    list: async () => [...rows.values()],
    insert: async (record: ClientRecord) => void rows.set(record.clientId, record),
    upsert: async (record: ClientRecord) => void rows.set(record.clientId, record),
    update: async (record: ClientRecord) => rows.set(record.clientId, record).has(record.clientId),
    delete: async (id: string) => rows.delete(id),
  } satisfies ClientRepository
  return { repository, reads: () => reads }
}

const record = (name: string): ClientRecord => ({
  clientId: 'c',
  metadata: { client_id: 'c', client_name: name, token_endpoint_auth_method: 'private_key_jwt' },
  createdAt: 0,
  updatedAt: 0,
})

test('reads are served from memory for a few seconds, then read again', async () => {
  let now = 100
  const fake = fakeRepository(new Map([['c', record('one')]]))
  const clients = cachedClientRepository(fake.repository, () => now)
  await clients.get('c')
  await clients.get('c')
  expect(fake.reads()).toBe(1)
  now += CLIENT_CACHE_SECONDS
  await clients.get('c')
  expect(fake.reads()).toBe(2)
})

test('an update or a delete through the repository shows on the next read', async () => {
  const fake = fakeRepository(new Map([['c', record('one')]]))
  const clients = cachedClientRepository(fake.repository, () => 0)
  expect((await clients.get('c'))?.metadata.client_name).toBe('one')
  await clients.update(record('two'))
  expect((await clients.get('c'))?.metadata.client_name).toBe('two')
  await clients.delete('c')
  expect(await clients.get('c')).toBeUndefined()
  await clients.insert(record('three'))
  expect((await clients.get('c'))?.metadata.client_name).toBe('three')
})
