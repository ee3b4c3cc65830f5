/** Which registered redirect URI a flow uses (RFC 9700 section 4.1.3: compared as exact strings). */
import type { FastifyRequest } from 'fastify'
import type { FintechConfig } from '../config.js'

/**
 * The registered redirect URI on the origin the browser is using, so the session cookie comes back
 * with the callback; the first registered one otherwise.
 */
export function redirectUriFor(config: FintechConfig, request: FastifyRequest): string {
  const origin = `https://${request.host}`
  const same = config.redirectUris.find((uri) => new URL(uri).origin === origin)
  const chosen = same ?? config.redirectUris[0]
  if (chosen === undefined) throw new TypeError('the fintech has no redirect URI configured')
  return chosen
}
