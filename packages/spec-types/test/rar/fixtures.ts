/** Valid authorization details shared by the rar and oauth tests (RFC 9396 section 2 shapes). */
import type { AccountInformation } from '../../src/rar/account-information.js'
import type { PaymentInitiation } from '../../src/rar/payment-initiation.js'

export const accountInformation: AccountInformation = {
  type: 'account_information',
  actions: ['list_accounts', 'read_balances', 'read_transactions'],
  locations: ['https://api.northwind.sandbox.test/accounts'],
}

export const paymentInitiation: PaymentInitiation = {
  type: 'payment_initiation',
  locations: ['https://api.harbour.sandbox.test/payments'],
  instructedAmount: { currency: 'EUR', amount: '123.50' },
  creditorName: 'Merchant A',
  creditorAccount: { scheme: 'IBAN', iban: 'DE02100100109307118603', bic: 'ABCIDEFFXXX' },
  remittanceInformationUnstructured: 'Ref Number Merchant',
}
