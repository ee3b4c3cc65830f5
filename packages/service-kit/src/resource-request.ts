/**
 * The parts of a fastify request the kit's protected-resource check reads (FAPI 2.0 SP 5.3.4):
 * shared by the bank's userinfo endpoint and its APIs.
 */
import type { ResourceRequest } from '@sandbox/fapi/resource-request'
import type { FastifyRequest } from 'fastify'

/** Every `DPoP` header of the request, unjoined (RFC 9449 section 4.3 step 1 counts them). */
export function dpopHeaders(request: FastifyRequest): string[] {
  const distinct = request.raw.headersDistinct?.dpop
  if (distinct !== undefined) return distinct
  const value = request.headers.dpop
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

/** RFC 6750 sections 2.2 and 2.3: where SP 5.3.4-2 (and sandbox policy P) forbid the token. */
function tokenOutsideHeader(request: FastifyRequest): 'query' | 'body' | undefined {
  const query = request.query as Record<string, unknown> | undefined
  if (query?.access_token !== undefined) return 'query'
  const body = request.body as Record<string, unknown> | null | undefined
  return typeof body === 'object' && body?.access_token !== undefined ? 'body' : undefined
}

/**
 * The resource request of `request`, addressed at `url` (the public URL the client signed as
 * the proof's `htu`), with the DER client certificate of its connection if there was one.
 */
export function resourceRequestOf(
  request: FastifyRequest,
  url: string,
  certificate: Uint8Array | undefined,
): ResourceRequest {
  return {
    method: request.method,
    url,
    authorization: request.headers.authorization,
    dpop: dpopHeaders(request),
    tokenOutsideHeader: tokenOutsideHeader(request),
    certificate,
  }
}
