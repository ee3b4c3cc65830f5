/** Replay detection for JWT ids (RFC 7523 section 3 item 7; RFC 9449 section 11.1). */

/** Remembers a key until `expiresAt` (seconds); resolves false when the key is already there. */
export interface JtiStore {
  remember(key: string, expiresAt: number): Promise<boolean>
}

/**
 * Sandbox policy: room for every jti still acceptable at about 1,800 token requests a second (two
 * jtis each, kept 60 to 70 s), at roughly 150 bytes an entry.
 */
export const DEFAULT_JTI_STORE_ENTRIES = 250_000

/**
 * An in-memory store. Keys are filed by the second they expire in, and once per second of `now`
 * the seconds that have passed are dropped, so a sweep costs what expired, not what is stored.
 * When full it drops the oldest insertion (a sandbox trade-off: bounded memory over perfect replay
 * detection, reached only beyond the rate {@link DEFAULT_JTI_STORE_ENTRIES} is sized for).
 */
export function createMemoryJtiStore(options: {
  now: () => number
  maxEntries?: number
}): JtiStore & { readonly size: number } {
  const maxEntries = options.maxEntries ?? DEFAULT_JTI_STORE_ENTRIES
  /** Key to its expiry, in insertion order. */
  const entries = new Map<string, number>()
  /** Whole second at or after the expiry to the keys that expire in it. */
  const bySecond = new Map<number, string[]>()
  let lastSweep = Number.NEGATIVE_INFINITY

  const sweep = (now: number) => {
    for (const [second, keys] of bySecond) {
      if (second > now) continue
      // A key remembered again since (after it expired) carries another expiry: it stays.
      for (const key of keys)
        if ((entries.get(key) ?? Number.POSITIVE_INFINITY) <= now) entries.delete(key)
      bySecond.delete(second)
    }
  }

  return {
    get size() {
      return entries.size
    },
    async remember(key, expiresAt) {
      const now = options.now()
      if (now > lastSweep) {
        lastSweep = now
        sweep(now)
      }
      const existing = entries.get(key)
      if (existing !== undefined && existing > now) return false
      entries.delete(key)
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next()
        if (oldest.done) break
        entries.delete(oldest.value)
      }
      entries.set(key, expiresAt)
      const second = Math.ceil(expiresAt)
      const keys = bySecond.get(second)
      if (keys === undefined) bySecond.set(second, [key])
      else keys.push(key)
      return true
    },
  }
}
