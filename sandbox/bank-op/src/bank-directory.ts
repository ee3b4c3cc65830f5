/**
 * The banks one bank-op instance hosts, looked up by the `{bank}` path segment of their issuer
 * (RFC 8414 section 2: several issuers may share a host when told apart by path).
 */
import type { Bank } from '@sandbox/spec-types/banking/bank'
import type { BankKeys } from './keys/bank-keys.js'

export interface HostedBank {
  bank: Bank
  keys: BankKeys
  /** `${publicBaseUrl}/${bank.id}`, byte-exact (RFC 8414 section 3.3). */
  issuer: string
}

/** The issuer of `bankId` on a server reached at `publicBaseUrl` (no trailing slash, ever). */
export function issuerFor(publicBaseUrl: string, bankId: string): string {
  return `${publicBaseUrl}/${bankId}`
}

export interface BankDirectory {
  find(bankId: string): HostedBank | undefined
  /** Ids in configuration order, for error messages that list what exists. */
  ids(): readonly string[]
}

export function bankDirectory(banks: readonly HostedBank[]): BankDirectory {
  const byId = new Map(banks.map((hosted) => [hosted.bank.id, hosted]))
  return {
    find: (bankId) => byId.get(bankId),
    ids: () => banks.map(({ bank }) => bank.id),
  }
}
