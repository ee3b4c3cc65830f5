/**
 * What a grant allows, in the words a customer reads on the consent and connected-apps pages
 * (FAPI 2.0 SP 5.3.2.2-13; RFC 9396 section 2 for the detail members named here).
 */
import type { AccountIdentification } from '@sandbox/spec-types/banking/account-identification'
import type { AccountInformationAction } from '@sandbox/spec-types/rar/account-information'
import type { AccountRecord } from '@sandbox/store/repositories/accounts'

export const ACTION_WORDS: Readonly<Record<AccountInformationAction, string>> = {
  list_accounts: 'See your accounts and their details: name, type and account number',
  read_balances: 'See the balances of your accounts',
  read_transactions: 'See the transactions on your accounts',
  read_payees: 'See the payees you have saved',
}

/** The scopes of metadata.ts, for requests that use no authorization_details of that kind. */
export const SCOPE_WORDS: Readonly<Record<string, string>> = {
  openid: 'Know who you are: your name and customer number at the bank',
  accounts: 'See information about your accounts',
  payments: 'Start payments that you approve',
}

const TYPE_WORDS: Readonly<Record<AccountRecord['type'], string>> = {
  current: 'Current account',
  savings: 'Savings account',
  credit_card: 'Credit card',
}

/**
 * `£1,250.75`. Intl.NumberFormat formats a decimal string exactly (ECMA-402 10th edition), so
 * no binary floating point touches the amount.
 */
export function formatMoney(amount: string, currency: string): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(
    amount as unknown as number,
  )
}

/** `1 March 2026` from Unix seconds, in UTC like every time the bank stores. */
export function formatDate(unixSeconds: number): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
    unixSeconds * 1000,
  )
}

/** `12-34-56 12345678` or a grouped IBAN, as printed on a statement. */
export function formatAccountIdentification(account: AccountIdentification): string {
  if (account.scheme === 'IBAN') return account.iban.replace(/(.{4})(?=.)/g, '$1 ')
  return `${account.sortCode.replace(/(\d\d)(?=\d)/g, '$1-')} ${account.accountNumber}`
}

/** `Everyday Current Account, Current account ending 5678 (GBP)`. */
export function describeAccount(account: AccountRecord): string {
  const number = account.accountNumber ?? account.iban ?? account.maskedPan ?? account.id
  return `${account.name}, ${TYPE_WORDS[account.type]} ending ${number.slice(-4)} (${account.currency})`
}
