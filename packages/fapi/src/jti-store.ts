/** Replay detection for JWT ids (RFC 7523 section 3 item 7; RFC 9449 section 11.1). */

/** Remembers a key until `expiresAt` (seconds); resolves false when the key is already there. */
export interface JtiStore {
  remember(key: string, expiresAt: number): Promise<boolean>
}

/**
 * An in-memory store, swept of expired entries at most once per second of `now`. When full after sweeping, it drops
 * the oldest insertion (a sandbox trade-off: bounded memory over perfect replay detection).
 */
export function createMemoryJtiStore(options: {
  now: () => number
  maxEntries?: number
}): JtiStore & { readonly size: number } {
  const maxEntries = options.maxEntries ?? 100_000
  const entries = new Map<string, number>()
  let lastSweep = Number.NEGATIVE_INFINITY
  return {
    get size() {
      return entries.size
    },
    async remember(key, expiresAt) {
      const now = options.now()
      // A full sweep at most once a second, or when the store is full.
      if (now > lastSweep || entries.size >= maxEntries) {
        lastSweep = now
        for (const [k, exp] of entries) if (exp <= now) entries.delete(k)
      }
      const existing = entries.get(key)
      if (existing !== undefined && existing > now) return false
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next()
        if (oldest.done) break
        entries.delete(oldest.value)
      }
      entries.set(key, expiresAt)
      return true
    },
  }
}
