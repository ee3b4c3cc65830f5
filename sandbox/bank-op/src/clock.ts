/** The injected clock (DESIGN principle 2): domain code never reads `Date.now()` itself. */

/** Returns the current instant; tests pass a fixed or stepping clock. */
export type Clock = () => Date

export const systemClock: Clock = () => new Date()
