/**
 * A registered client's public keys, from its `jwks` or fetched from its `jwks_uri` (RFC 7591
 * section 2), cached briefly so a client's key rotation shows up within minutes.
 */
import type { ClientJwks } from '@sandbox/fapi/jwks'
import type { ClientRecord } from '@sandbox/store/repositories/clients'

/** How long a fetched `jwks_uri` document is reused. */
export const JWKS_URI_CACHE_SECONDS = 300

/** How long a failed fetch is remembered: long enough not to hammer, short enough to recover. */
export const JWKS_URI_FAILURE_CACHE_SECONDS = 30

const JWKS_URI_TIMEOUT_MS = 5000
const JWKS_URI_MAX_BYTES = 64 * 1024

export type JwksFetcher = (uri: string) => Promise<ClientJwks | undefined>

/** Fetches a JWK Set over https with a timeout and a size bound; undefined when unusable. */
export const fetchJwks: JwksFetcher = async (uri) => {
  try {
    const response = await fetch(uri, {
      signal: AbortSignal.timeout(JWKS_URI_TIMEOUT_MS),
      headers: { accept: 'application/jwk-set+json, application/json' },
    })
    if (!response.ok) return undefined
    const text = await response.text()
    if (text.length > JWKS_URI_MAX_BYTES) return undefined
    const parsed = JSON.parse(text) as unknown
    if (typeof parsed !== 'object' || parsed === null) return undefined
    const keys = (parsed as { keys?: unknown }).keys
    return Array.isArray(keys) ? { keys } : undefined
  } catch {
    return undefined
  }
}

/** Resolves clients' key sets, caching `jwks_uri` documents per URI. */
export function createClientJwksResolver(options: { now: () => number; fetchJwks?: JwksFetcher }) {
  const fetcher = options.fetchJwks ?? fetchJwks
  const cache = new Map<string, { jwks: ClientJwks | undefined; until: number }>()
  return async (client: ClientRecord): Promise<ClientJwks | undefined> => {
    const { jwks, jwks_uri: uri } = client.metadata
    if (jwks !== undefined) return jwks
    if (uri === undefined) return undefined
    const now = options.now()
    const cached = cache.get(uri)
    if (cached !== undefined && cached.until > now) return cached.jwks
    const fetched = await fetcher(uri)
    const lifetime = fetched === undefined ? JWKS_URI_FAILURE_CACHE_SECONDS : JWKS_URI_CACHE_SECONDS
    cache.set(uri, { jwks: fetched, until: now + lifetime })
    return fetched
  }
}

export type ClientJwksResolver = ReturnType<typeof createClientJwksResolver>
