/**
 * Store records as the account information API sends them (spec-types/banking): amounts as exact
 * decimal strings with a credit/debit indicator, identifiers as typed schemes.
 */
import type { Account } from '@sandbox/spec-types/banking/account'
import type { AccountIdentification } from '@sandbox/spec-types/banking/account-identification'
import type { Balance } from '@sandbox/spec-types/banking/balance'
import type { CurrencyCode } from '@sandbox/spec-types/banking/currency'
import type { Payee } from '@sandbox/spec-types/banking/payee'
import type { Transaction, TransactionCategory } from '@sandbox/spec-types/banking/transaction'
import { formatMinorUnits } from '@sandbox/store/money'
import { type AccountRecord, accountIdentificationOf } from '@sandbox/store/repositories/accounts'
import type { PayeeRecord } from '@sandbox/store/repositories/payees'
import type { AccountBalances, TransactionRecord } from '@sandbox/store/repositories/transactions'

// The seed writes counterparties as a statement shows them: `20-30-40 12345678` or an IBAN.
const SORT_CODE_LABEL = /^(\d{2})-(\d{2})-(\d{2}) (\d{8})$/
const IBAN_LABEL = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/

function counterpartyAccount(label: string | null): AccountIdentification | undefined {
  if (label === null) return undefined
  const uk = SORT_CODE_LABEL.exec(label)
  if (uk !== null) {
    return {
      scheme: 'SortCodeAccountNumber',
      sortCode: `${uk[1]}${uk[2]}${uk[3]}`,
      accountNumber: uk[4] as string,
    }
  }
  return IBAN_LABEL.test(label) ? { scheme: 'IBAN', iban: label } : undefined
}

export function toAccount(record: AccountRecord): Account {
  const identification = accountIdentificationOf(record)
  return {
    accountId: record.id,
    type: record.type,
    currency: record.currency as CurrencyCode,
    name: record.name,
    ...(identification === undefined ? {} : { identification }),
    ...(record.maskedPan === null ? {} : { maskedPan: record.maskedPan }),
    status: record.status,
    openedAt: record.openedAt,
  }
}

/** A signed minor-unit amount as the decimal magnitude and its direction. */
function signed(amount: number, currency: CurrencyCode) {
  return {
    amount: { amount: formatMinorUnits(Math.abs(amount), currency), currency },
    creditDebitIndicator: amount < 0 ? ('debit' as const) : ('credit' as const),
  }
}

/** Booked and available balances, both as of `dateTime` (ISO 8601 UTC). */
export function toBalances(balances: AccountBalances, dateTime: string): Balance[] {
  const currency = balances.currency as CurrencyCode
  const creditLine =
    balances.creditLimit === null
      ? {}
      : { creditLine: { amount: formatMinorUnits(balances.creditLimit, currency), currency } }
  return [
    {
      accountId: balances.accountId,
      type: 'booked',
      ...signed(balances.booked, currency),
      dateTime,
    },
    {
      accountId: balances.accountId,
      type: 'available',
      ...signed(balances.available, currency),
      dateTime,
      ...creditLine,
    },
  ]
}

export function toTransaction(record: TransactionRecord, currency: CurrencyCode): Transaction {
  const counterparty = counterpartyAccount(record.counterpartyAccount)
  return {
    transactionId: record.id,
    accountId: record.accountId,
    status: record.status,
    bookingDateTime: record.bookingDateTime,
    ...(record.valueDateTime === null ? {} : { valueDateTime: record.valueDateTime }),
    amount: { amount: formatMinorUnits(record.amount, currency), currency },
    creditDebitIndicator: record.creditDebit,
    category: record.category as TransactionCategory,
    ...(record.merchantName === null
      ? {}
      : {
          merchant: {
            name: record.merchantName,
            ...(record.merchantCategoryCode === null
              ? {}
              : { categoryCode: record.merchantCategoryCode }),
          },
        }),
    ...(record.counterpartyName === null
      ? {}
      : {
          counterparty: {
            name: record.counterpartyName,
            ...(counterparty === undefined ? {} : { account: counterparty }),
          },
        }),
    ...(record.reference === null ? {} : { reference: record.reference }),
    ...(record.balanceAfter === null
      ? {}
      : { runningBalance: { currency, ...flatSigned(record.balanceAfter, currency) } }),
  }
}

function flatSigned(amount: number, currency: CurrencyCode) {
  return {
    amount: formatMinorUnits(Math.abs(amount), currency),
    creditDebitIndicator: amount < 0 ? ('debit' as const) : ('credit' as const),
  }
}

/** A payee of the customer, listed through one of their accounts; undefined if it has no account number. */
export function toPayee(record: PayeeRecord, accountId: string): Payee | undefined {
  const account = accountIdentificationOf(record)
  if (account === undefined) return undefined
  return {
    payeeId: record.id,
    accountId,
    name: record.name,
    account,
    ...(record.reference === null ? {} : { reference: record.reference }),
  }
}
