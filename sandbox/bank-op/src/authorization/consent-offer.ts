/**
 * What the customer is asked to grant and what they chose: the requested authorization details
 * laid against the customer's accounts, and the details narrowed to the choice (RFC 9396 section 7:
 * the granted details may be fewer than requested, and the AS fills `accounts` and `debtorAccount`).
 * @see https://www.rfc-editor.org/rfc/rfc9396.html#section-7
 */

import type { CurrencyCode } from '@sandbox/spec-types/banking/currency'
import type { AccountInformation } from '@sandbox/spec-types/rar/account-information'
import type {
  AuthorizationDetail,
  AuthorizationDetails,
} from '@sandbox/spec-types/rar/authorization-details'
import type { PaymentInitiation } from '@sandbox/spec-types/rar/payment-initiation'
import { parseDecimalAmount } from '@sandbox/store/money'
import type { AccountRecord } from '@sandbox/store/repositories/accounts'
import { accountIdentificationOf } from '@sandbox/store/repositories/accounts'
import type { BankContext, PushedRequest } from '../bank-context.js'
import { formatDate } from '../pages/access-words.js'

const DAY = 24 * 60 * 60

/** Sandbox policy: how long ongoing access may last, the customer's choice (default 90 days). */
export const ACCESS_DAYS = [30, 90, 180] as const
const DEFAULT_ACCESS_DAYS = 90

/** Sandbox policy: a grant for payments alone lets the client start them within a day. */
export const PAYMENT_GRANT_SECONDS = DAY

export interface DurationOption {
  value: string
  label: string
  expiresAt: number
}

export interface PayerOption {
  account: AccountRecord
  /** Available balance in minor units. */
  available: number
}

export interface PaymentOffer {
  /** Position of the detail in the pushed authorization_details. */
  index: number
  detail: PaymentInitiation
  /** The requested debtorAccount when it is the customer's, else their current accounts in the currency. */
  payers: PayerOption[]
  /** The client named the account to pay from. */
  fixed: boolean
}

export interface ConsentOffer {
  accountInformation: Array<{ index: number; detail: AccountInformation }>
  /** Enabled accounts of the customer, limited to those requested when every detail names some. */
  shareable: AccountRecord[]
  payments: PaymentOffer[]
  /** Requested scopes other than those the details already explain. */
  scopes: string[]
  /** How long access may last; undefined when the grant is for payments alone. */
  durations: DurationOption[] | undefined
  defaultDuration: string | undefined
}

export interface ConsentChoice {
  accountIds: readonly string[]
  /** Payer account id by detail index. */
  payers: ReadonlyMap<number, string>
  duration?: string | undefined
}

export interface GrantedAccess {
  authorizationDetails: AuthorizationDetails | undefined
  expiresAt: number
}

const matches = (account: AccountRecord, wanted: PaymentInitiation['creditorAccount']) =>
  wanted.scheme === 'IBAN'
    ? account.iban === wanted.iban
    : account.sortCode === wanted.sortCode && account.accountNumber === wanted.accountNumber

async function payerOptions(
  bank: BankContext,
  accounts: readonly AccountRecord[],
  detail: PaymentInitiation,
): Promise<{ payers: PayerOption[]; fixed: boolean }> {
  const wanted = detail.debtorAccount
  const candidates =
    wanted === undefined
      ? accounts.filter(
          (account) =>
            account.type === 'current' &&
            account.currency === detail.instructedAmount.currency &&
            accountIdentificationOf(account) !== undefined,
        )
      : accounts.filter((account) => matches(account, wanted))
  const payers: PayerOption[] = []
  for (const account of candidates) {
    const balances = await bank.store.transactions.balances(account.id)
    payers.push({ account, available: balances?.available ?? 0 })
  }
  return { payers, fixed: wanted !== undefined }
}

function durationOptions(
  now: number,
  details: ReadonlyArray<{ detail: AccountInformation }>,
): { options: DurationOption[]; defaultValue: string } {
  const requested = details
    .map(({ detail }) => detail.expiresAt)
    .filter((value): value is string => value !== undefined)
    .map((value) => Math.floor(Date.parse(value) / 1000))
  const cap = requested.length === 0 ? undefined : Math.min(...requested)
  const options: DurationOption[] = ACCESS_DAYS.map((days) => ({
    value: String(days),
    label: `${days} days, until ${formatDate(now + days * DAY)}`,
    expiresAt: now + days * DAY,
  })).filter((option) => cap === undefined || option.expiresAt < cap)
  if (cap !== undefined) {
    options.push({
      value: 'requested',
      label: `Until ${formatDate(cap)}, as the app asked`,
      expiresAt: cap,
    })
  }
  const preferred = options.find((option) => option.value === String(DEFAULT_ACCESS_DAYS))
  return { options, defaultValue: (preferred ?? options[options.length - 1])?.value ?? '' }
}

/** Lays the pushed request against the customer's accounts. */
export async function buildConsentOffer(
  bank: BankContext,
  pushed: PushedRequest,
  customerId: string,
): Promise<ConsentOffer> {
  const accounts = (await bank.store.accounts.listForCustomer(customerId)).filter(
    (account) => account.status === 'enabled',
  )
  const details = pushed.authorizationDetails ?? []
  const accountInformation: ConsentOffer['accountInformation'] = []
  const payments: PaymentOffer[] = []
  for (const [index, detail] of details.entries()) {
    if (detail.type === 'account_information') accountInformation.push({ index, detail })
    else payments.push({ index, detail, ...(await payerOptions(bank, accounts, detail)) })
  }
  const named = accountInformation.every(({ detail }) => detail.accounts !== undefined)
  const requestedIds = new Set(accountInformation.flatMap(({ detail }) => detail.accounts ?? []))
  const shareable =
    accountInformation.length > 0 && named
      ? accounts.filter((account) => requestedIds.has(account.id))
      : accounts
  const scopes = (pushed.scope?.split(' ') ?? []).filter(
    (scope) =>
      !(scope === 'accounts' && accountInformation.length > 0) &&
      !(scope === 'payments' && payments.length > 0),
  )
  const ongoing =
    accountInformation.length > 0 ||
    scopes.some((scope) => scope !== 'openid' && scope !== 'payments')
  const durations = ongoing ? durationOptions(bank.now(), accountInformation) : undefined
  return {
    accountInformation,
    shareable,
    payments,
    scopes,
    durations: durations?.options,
    defaultDuration: durations?.defaultValue,
  }
}

/** Does the payer hold the instructed amount (available balance, same currency)? */
export function canPay(payer: PayerOption, detail: PaymentInitiation): boolean {
  const { amount, currency } = detail.instructedAmount
  return (
    payer.account.currency === currency &&
    payer.available >= parseDecimalAmount(amount, currency as CurrencyCode)
  )
}

/**
 * The details and expiry the customer granted, or what to tell them when the choice is
 * incomplete or names something that was not offered.
 */
export function narrowToChoice(
  offer: ConsentOffer,
  choice: ConsentChoice,
  now: number,
): { granted: GrantedAccess } | { notice: string } {
  let expiresAt = now + PAYMENT_GRANT_SECONDS
  if (offer.durations !== undefined) {
    const option = offer.durations.find(({ value }) => value === choice.duration)
    if (option === undefined) return { notice: 'Choose how long the app may have access.' }
    expiresAt = option.expiresAt
  }
  const chosen = offer.shareable
    .map((account) => account.id)
    .filter((id) => choice.accountIds.includes(id))
  if (offer.accountInformation.length > 0 && chosen.length === 0) {
    return { notice: 'Choose at least one account to share.' }
  }
  const granted: Array<[number, AuthorizationDetail]> = []
  for (const { index, detail } of offer.accountInformation) {
    const accounts = chosen.filter((id) => detail.accounts?.includes(id) ?? true)
    if (accounts.length === 0) continue
    granted.push([
      index,
      { ...detail, accounts, expiresAt: new Date(expiresAt * 1000).toISOString() },
    ])
  }
  for (const payment of offer.payments) {
    const payerId = choice.payers.get(payment.index)
    const payer = payment.payers.find(({ account }) => account.id === payerId)
    if (payer === undefined) {
      return {
        notice:
          payment.payers.length === 0
            ? 'None of your accounts can make this payment, so it can only be declined.'
            : 'Choose the account to pay from.',
      }
    }
    const debtorAccount = payment.detail.debtorAccount ?? accountIdentificationOf(payer.account)
    granted.push([
      payment.index,
      { ...payment.detail, ...(debtorAccount === undefined ? {} : { debtorAccount }) },
    ])
  }
  // The pushed order, so the granted array lines up with what the client asked for.
  granted.sort(([a], [b]) => a - b)
  return {
    granted: {
      authorizationDetails: granted.length === 0 ? undefined : granted.map(([, detail]) => detail),
      expiresAt,
    },
  }
}
