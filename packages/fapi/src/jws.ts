/** Verifying FAPI-signed JWTs in JWS compact serialization (RFC 7515 section 5.2; RFC 8725 sections 3.1 and 3.11; FAPI 2.0 SP 5.4.1-1). */
import {
  type CompactJWSHeaderParameters,
  compactVerify,
  decodeProtectedHeader,
  type ProtectedHeaderParameters,
} from 'jose'
import { type FapiSigningAlg, isFapiSigningAlg } from './algorithms.js'
import { echo } from './errors/describe.js'
import { OAuthError, type Rule } from './errors/oauth-error.js'

/** The rules one kind of JWT answers with. */
export interface JwsRules {
  /** Not three base64url parts, or a header or payload that is not a JSON object. */
  malformed: Rule
  /** `alg` outside PS256/ES256/EdDSA, or outside the caller's narrower list. */
  alg: Rule
  /** `typ` naming another kind of JWT. */
  typ: Rule
  /** No key for the header, or a signature that does not verify. */
  signature: Rule
}

/**
 * The `typ` a kind of JWT carries: `required` kinds must name `expected`; the others may also
 * leave `typ` out or say `JWT`, but never name another kind (RFC 8725 section 3.11).
 */
export interface TypPolicy {
  expected?: string
  required: boolean
}

/** Resolves the verification key for a protected header whose `alg` is already a FAPI one. */
export type KeyResolver = (
  header: CompactJWSHeaderParameters & { alg: FapiSigningAlg },
) => Promise<CryptoKey>

export interface VerifiedJws {
  header: ProtectedHeaderParameters
  alg: FapiSigningAlg
  claims: Record<string, unknown>
}

/**
 * RFC 7515 section 4.1.9: `typ` is a media type whose `application/` prefix may be left out;
 * media types compare case-insensitively (RFC 2045 section 5.1).
 */
export function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase()
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Checks shape, `alg`, `typ` and signature of a compact JWS and returns its JSON claims. Claim
 * checks belong to the caller. A resolver's own OAuthError passes through unchanged.
 * @throws OAuthError the caller's `rules`
 * @see https://www.rfc-editor.org/rfc/rfc7515.html#section-5.2
 */
export async function verifyCompactJws(
  jws: unknown,
  getKey: KeyResolver,
  options: { rules: JwsRules; typ: TypPolicy; algs?: readonly FapiSigningAlg[] | undefined },
): Promise<VerifiedJws> {
  const { rules } = options
  if (typeof jws !== 'string' || !COMPACT_JWS.test(jws)) {
    throw new OAuthError(rules.malformed, 'not a JWS in compact serialization')
  }
  let header: ProtectedHeaderParameters
  try {
    header = decodeProtectedHeader(jws)
  } catch {
    throw new OAuthError(rules.malformed, 'the header is not a JSON object')
  }
  const alg = header.alg
  // RFC 8725 section 3.1: the algorithm comes from our list, never from the token alone.
  if (!isFapiSigningAlg(alg) || (options.algs !== undefined && !options.algs.includes(alg))) {
    throw new OAuthError(rules.alg, `got ${echo(alg ?? 'no alg')}`)
  }
  const typ = header.typ === undefined ? undefined : normalizeTyp(header.typ)
  const { expected, required } = options.typ
  const typOk = typ === undefined ? !required : typ === expected || (!required && typ === 'jwt')
  if (!typOk) {
    throw new OAuthError(
      rules.typ,
      header.typ === undefined ? `typ ${expected} is required` : `got typ ${echo(header.typ)}`,
    )
  }
  let key: CryptoKey
  try {
    key = await getKey({ ...header, alg })
  } catch (cause) {
    if (cause instanceof OAuthError) throw cause
    throw new OAuthError(rules.signature, 'no published key matches the kid and alg', {}, { cause })
  }
  let payload: unknown
  try {
    const verified = await compactVerify(jws, key, { algorithms: [alg] })
    payload = JSON.parse(new TextDecoder().decode(verified.payload))
  } catch (cause) {
    if (cause instanceof SyntaxError) {
      throw new OAuthError(rules.malformed, 'the payload is not JSON', {}, { cause })
    }
    throw new OAuthError(rules.signature, 'the signature does not verify', {}, { cause })
  }
  if (!isRecord(payload)) throw new OAuthError(rules.malformed, 'the payload is not a JSON object')
  return { header, alg, claims: payload }
}
