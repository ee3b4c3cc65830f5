/** JWS algorithms FAPI 2.0 permits (FAPI 2.0 SP 5.4.1-1: PS256, ES256, EdDSA with Ed25519). */
import type { Static } from 'typebox'
import { StringEnum } from '../json-schema.js'

/**
 * Every `*_alg` and `*_alg_values_supported` value in this package comes from this list.
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.4.1
 */
export const FAPI_SIGNING_ALGS = ['PS256', 'ES256', 'EdDSA'] as const
export type FapiSigningAlg = (typeof FAPI_SIGNING_ALGS)[number]

export const FapiSigningAlgSchema = StringEnum(FAPI_SIGNING_ALGS, { $id: 'FapiSigningAlg' })
export type FapiSigningAlgValue = Static<typeof FapiSigningAlgSchema>

/** Is `alg` one FAPI 2.0 allows? (`none`, `RS256` and `HS256` are not.) */
export function isFapiSigningAlg(alg: unknown): alg is FapiSigningAlg {
  return typeof alg === 'string' && (FAPI_SIGNING_ALGS as readonly string[]).includes(alg)
}
