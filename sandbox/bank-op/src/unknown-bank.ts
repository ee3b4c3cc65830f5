/** The answer for a path naming no hosted bank: an RFC 9457 problem that lists the issuers there are. */
import type { BankDirectory } from './bank-directory.js'

export const UNKNOWN_BANK_STATUS = 404

/** RFC 9457 section 3 body; `detail` says what was asked and what exists instead. */
export function unknownBankProblem(
  directory: BankDirectory,
  bankId: string,
  publicBaseUrl: string,
) {
  const known = directory.ids()
  const listing =
    known.length === 0
      ? 'this server hosts no banks'
      : `issuers here: ${known.map((id) => `${publicBaseUrl}/${id}`).join(', ')}`
  return {
    type: 'about:blank',
    title: 'Unknown bank',
    status: UNKNOWN_BANK_STATUS,
    detail: `no bank with id '${bankId}' is hosted here; ${listing} (each bank is its own issuer, RFC 8414 section 2)`,
  }
}
