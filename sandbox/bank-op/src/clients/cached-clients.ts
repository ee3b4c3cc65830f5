/**
 * The clients repository with a short read cache: every back-channel request authenticates its
 * client, so the record is read on every request. Writes through this repository (registration,
 * RFC 7592 updates and deletes) drop the entry at once; a change made to the file by another
 * process shows within the time to live.
 */
import type { ClientRecord, ClientRepository } from '@sandbox/store/repositories/clients'

/** Seconds a client record is served from memory. */
export const CLIENT_CACHE_SECONDS = 5

const MAX_ENTRIES = 10_000

export function cachedClientRepository(
  repository: ClientRepository,
  now: () => number,
): ClientRepository {
  const cache = new Map<string, { record: ClientRecord | undefined; until: number }>()
  const forget = (clientId: string) => cache.delete(clientId)
  return {
    ...repository,
    async get(clientId) {
      const cached = cache.get(clientId)
      if (cached !== undefined && cached.until > now()) return cached.record
      const record = await repository.get(clientId)
      if (cache.size >= MAX_ENTRIES) cache.clear()
      cache.set(clientId, { record, until: now() + CLIENT_CACHE_SECONDS })
      return record
    },
    async insert(record) {
      forget(record.clientId)
      await repository.insert(record)
    },
    async upsert(record) {
      forget(record.clientId)
      await repository.upsert(record)
    },
    async update(record) {
      forget(record.clientId)
      return repository.update(record)
    },
    async delete(clientId) {
      forget(clientId)
      return repository.delete(clientId)
    },
  }
}
