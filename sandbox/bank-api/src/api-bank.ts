/**
 * Everything bank-api knows about one hosted bank while serving it (DESIGN principle 1): its base
 * URL (the audience of its tokens), the authorization server it trusts, its own database and the
 * state of its DPoP checks. Banks share code, never state.
 */
import type { DpopNonces } from '@sandbox/fapi/dpop/nonce'
import type { JtiStore } from '@sandbox/fapi/jti-store'
import type { IssuerKeys } from '@sandbox/fapi/jwks'
import type { Bank } from '@sandbox/spec-types/banking/bank'
import type { BankRepositories } from '@sandbox/store/bank-database'

/** The authorization server a bank's APIs trust (FAPI 2.0 SP 6.3; RS-11). */
export interface TrustedIssuer {
  /** The issuer identifier its access tokens carry as `iss`. */
  issuer: string
  /**
   * Its published signing keys, as its `jwks_uri` serves them. Called per request: return the
   * same object until the keys change, so imported keys stay cached.
   */
  keys(): IssuerKeys
}

export interface ApiBank {
  readonly bank: Bank
  /** `${publicBaseUrl}/${bank.id}`: where its APIs live and the `aud` of its tokens (RFC 9068 2.2). */
  readonly baseUrl: string
  readonly trusted: TrustedIssuer
  readonly store: BankRepositories
  /** Unix seconds; the injected clock (DESIGN principle 2). */
  now(): number
  /** DPoP proof jtis seen by these APIs (RFC 9449 section 11.1). */
  readonly seenJti: JtiStore
  /** Present when the bank's profile demands server nonces; the APIs keep their own (section 9). */
  readonly dpopNonces?: DpopNonces | undefined
}

/**
 * The issuer's keys as one object while they stay the same, whatever `keys()` returns per call:
 * the kit caches imported keys per JWKS object, so a fresh object per request would import the
 * bank's key on every request. A rotation changes the set and so the object.
 */
export function stableIssuerKeys(keys: () => IssuerKeys): () => IssuerKeys {
  let kept: { ids: string; keys: IssuerKeys } | undefined
  return () => {
    const current = keys()
    if (typeof current === 'function') return current
    const ids = JSON.stringify(current.keys)
    if (kept === undefined || kept.ids !== ids) kept = { ids, keys: current }
    return kept.keys
  }
}
