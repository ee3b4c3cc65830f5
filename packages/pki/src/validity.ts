/** Validity periods of the sandbox certificates (RFC 5280 section 4.1.2.5). */

const DAY_MS = 24 * 60 * 60 * 1000

/** Certificates start a little in the past so a peer whose clock lags still accepts them. */
export const BACKDATE_MS = 5 * 60 * 1000

/** The sandbox CA lives ten years: long enough that a browser trusts it once. */
export const CA_VALIDITY_DAYS = 3650

/**
 * Server and client certificates live at most 397 days, under the 398-day limit browsers apply to
 * server certificates (CA/B Forum BR 6.3.2, Chrome and Safari root programs).
 */
export const LEAF_VALIDITY_DAYS = 397

/** A certificate is renewed on start once fewer than this many days remain. */
export const RENEW_BEFORE_DAYS = 30

export interface Validity {
  notBefore: Date
  notAfter: Date
}

/**
 * The period [now - backdate, now - backdate + days], cut at `notAfterLimit` (the issuer's own
 * expiry: a certificate that outlives its CA cannot be validated past that date anyway).
 */
export function validityFrom(now: Date, days: number, notAfterLimit?: Date): Validity {
  const notBefore = new Date(now.getTime() - BACKDATE_MS)
  let notAfter = new Date(notBefore.getTime() + days * DAY_MS)
  if (notAfterLimit !== undefined && notAfterLimit < notAfter) notAfter = new Date(notAfterLimit)
  return { notBefore, notAfter }
}

/** True when more than `RENEW_BEFORE_DAYS` remain before `notAfter`, seen from `now`. */
export function outlivesRenewalWindow(notAfter: Date, now: Date): boolean {
  return notAfter.getTime() - now.getTime() > RENEW_BEFORE_DAYS * DAY_MS
}
