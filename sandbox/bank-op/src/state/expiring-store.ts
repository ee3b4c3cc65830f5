/**
 * Short-lived server state kept in memory: pushed authorization requests (RFC 9126, at most 60 s),
 * authorization codes (FAPI 2.0 SP 5.3.2.1-11, at most 60 s) and login sessions. A restart
 * forgets them, which only ends flows in progress; grants and tokens live in the bank's database.
 */

export interface ExpiringStore<T> {
  /** Stores `value` under `key` until `expiresAt` (Unix seconds). */
  set(key: string, value: T, expiresAt: number): void
  /** The value, or undefined once expired or deleted. */
  get(key: string): T | undefined
  /** Removes and returns the value: the one-time read that codes and request URIs need. */
  take(key: string): T | undefined
  delete(key: string): void
  readonly size: number
}

/**
 * A map swept of expired entries at most once per second; when full it drops the oldest entry
 * (bounded memory: a flood of pushed requests cannot exhaust the process).
 */
export function createExpiringStore<T>(options: {
  now: () => number
  maxEntries?: number
}): ExpiringStore<T> {
  const maxEntries = options.maxEntries ?? 50_000
  const entries = new Map<string, { value: T; expiresAt: number }>()
  let lastSweep = Number.NEGATIVE_INFINITY
  const sweep = (now: number) => {
    lastSweep = now
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key)
  }
  const live = (key: string) => {
    const entry = entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= options.now()) {
      entries.delete(key)
      return undefined
    }
    return entry
  }
  return {
    get size() {
      return entries.size
    },
    set(key, value, expiresAt) {
      const now = options.now()
      if (now > lastSweep || entries.size >= maxEntries) sweep(now)
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next().value
        if (oldest !== undefined) entries.delete(oldest)
      }
      entries.set(key, { value, expiresAt })
    },
    get: (key) => live(key)?.value,
    take(key) {
      const entry = live(key)
      entries.delete(key)
      return entry?.value
    },
    delete(key) {
      entries.delete(key)
    },
  }
}
