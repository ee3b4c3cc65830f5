/** Valid example resources shared by the banking and rar tests. */
import type { Account } from '../../src/banking/account.js'
import type { Bank } from '../../src/banking/bank.js'
import type { Transaction } from '../../src/banking/transaction.js'

export const bank: Bank = {
  id: 'northwind',
  name: 'Northwind Bank',
  legalName: 'Northwind Bank plc',
  country: 'GB',
  currency: 'GBP',
  bic: 'NWBKGB2L',
  brand: { primaryColour: '#0b3d91', accentColour: '#FFC72C' },
  profile: {
    senderConstraint: 'dpop',
    clientAuth: 'private_key_jwt',
    dpopNonceRequired: true,
    accessTokenLifetimeSeconds: 300,
    refreshTokenLifetimeSeconds: 7776000,
    requireSignedRequestObject: false,
    authorizationResponseMode: 'query',
  },
}

export const account: Account = {
  accountId: 'acc-1',
  type: 'current',
  currency: 'GBP',
  name: 'Everyday Current Account',
  identification: {
    scheme: 'SortCodeAccountNumber',
    sortCode: '601613',
    accountNumber: '31926819',
  },
  status: 'enabled',
  openedAt: '2019-04-01T09:00:00Z',
}

export const transaction: Transaction = {
  transactionId: 'tx-1',
  accountId: 'acc-1',
  status: 'booked',
  bookingDateTime: '2025-01-31T08:15:00Z',
  valueDateTime: '2025-01-31T08:15:00Z',
  amount: { amount: '42.10', currency: 'GBP' },
  creditDebitIndicator: 'debit',
  category: 'groceries',
  merchant: { name: 'Corner Shop', categoryCode: '5411' },
  reference: 'CARD 1234',
  runningBalance: { amount: '1024.00', currency: 'GBP', creditDebitIndicator: 'credit' },
}
