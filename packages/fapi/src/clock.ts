/** Clock-skew policy for received JWTs (FAPI 2.0 SP 5.3.2.1-13, Note 3; rows AS-CLK-01..03). */

/** SP 5.3.2.1-13: iat/nbf up to 10 s ahead must pass, more than 60 s ahead must fail. */
export const MIN_SKEW_SECONDS = 10
export const MAX_SKEW_SECONDS = 60
/** AS-CLK-03 (sandbox policy P): one tolerance, 30 s unless configured. */
export const DEFAULT_SKEW_SECONDS = 30

/** Validates a configured tolerance; a value outside 10-60 s is a configuration error. */
export function checkSkewSetting(skewSeconds: number): number {
  if (
    !Number.isFinite(skewSeconds) ||
    skewSeconds < MIN_SKEW_SECONDS ||
    skewSeconds > MAX_SKEW_SECONDS
  ) {
    throw new RangeError(`clock skew must be between ${MIN_SKEW_SECONDS} and ${MAX_SKEW_SECONDS} s`)
  }
  return skewSeconds
}
