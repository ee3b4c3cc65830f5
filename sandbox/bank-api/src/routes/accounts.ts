/**
 * Account information: the consented accounts, their balances, transactions and payees. Only what
 * the user consented to is visible through a token (RFC 9396 section 9; FAPI 2.0 SP 5.3.4-4): a
 * kind of data or an account of theirs that was not consented is 403, and an id that is not one
 * of their accounts is 404, whether or not it exists for someone else (RFC 9110 section 15.5.4).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AccountIdSchema,
  AccountListSchema,
  AccountSchema,
} from '@sandbox/spec-types/banking/account'
import { BalanceListSchema } from '@sandbox/spec-types/banking/balance'
import type { CurrencyCode } from '@sandbox/spec-types/banking/currency'
import { PayeeListSchema } from '@sandbox/spec-types/banking/payee'
import {
  TRANSACTION_STATUSES,
  TransactionListSchema,
} from '@sandbox/spec-types/banking/transaction'
import { StringEnum } from '@sandbox/spec-types/json-schema'
import type { AccountInformationAction } from '@sandbox/spec-types/rar/account-information'
import type { AccountRecord } from '@sandbox/store/repositories/accounts'
import {
  CREDIT_DEBIT,
  InvalidQueryError,
  MAX_PAGE_SIZE,
} from '@sandbox/store/repositories/transactions'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import { type Caller, grantedAccounts, requireAccount, requireAction } from '../access/authorize.js'
import { ApiProblem, ApiProblemSchema } from '../problem.js'
import { apiRules } from '../rules.js'
import { toAccount, toBalances, toPayee, toTransaction } from '../wire.js'

const PROBLEMS = { '4xx': ApiProblemSchema } as const

const AccountParams = Type.Object({
  bank: Type.String(),
  accountId: AccountIdSchema,
})

/** Query strings are text: numbers and dates are checked by pattern here, exactly by the store. */
const TransactionQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,4}$',
        description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${MAX_PAGE_SIZE})`,
      }),
    ),
    after: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 512,
        description: 'nextCursor of the page before: older rows',
      }),
    ),
    before: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 512,
        description: 'prevCursor of a page: newer rows',
      }),
    ),
    bookedFrom: Type.Optional(
      Type.String({
        minLength: 10,
        maxLength: 35,
        description: 'Inclusive, ISO 8601 date or date-time',
      }),
    ),
    bookedTo: Type.Optional(
      Type.String({
        minLength: 10,
        maxLength: 35,
        description: 'Exclusive, ISO 8601 date or date-time',
      }),
    ),
    status: Type.Optional(StringEnum(TRANSACTION_STATUSES)),
    creditDebit: Type.Optional(StringEnum(CREDIT_DEBIT)),
    text: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          'Case-insensitive text in the merchant, counterparty, description or reference',
      }),
    ),
  },
  { additionalProperties: false },
)

/** Now as ISO 8601 UTC at second precision, the timestamp of balances. */
function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * The customer's account `accountId`, once the token may `action` on it.
 * @throws ApiProblem RS-API-01 (not the customer's account), RS-05 (not consented)
 */
async function consentedAccount(
  request: FastifyRequest,
  caller: Caller,
  accountId: string,
  action: AccountInformationAction,
): Promise<AccountRecord> {
  const customerId = requireAction(caller, action)
  const account = await request.bank.store.accounts.get(accountId)
  if (account === undefined || account.customerId !== customerId) {
    throw new ApiProblem(apiRules.notFound, `no account ${accountId} of this customer`)
  }
  request.trace.pass(apiRules.notFound)
  requireAccount(caller, accountId, action)
  request.trace.pass(apiRules.accountNotGranted)
  return account
}

/** The absolute URL of this listing with `cursor` in place of the page position. */
function pageUrl(request: FastifyRequest, cursor: Record<string, string>): string {
  const [path = '', search = ''] = request.url.split('?', 2)
  const params = new URLSearchParams(search)
  params.delete('after')
  params.delete('before')
  for (const [name, value] of Object.entries(cursor)) params.set(name, value)
  const query = params.toString()
  const base = request.bank.baseUrl
  return `${base}${path.slice(request.bank.bank.id.length + 1)}${query === '' ? '' : `?${query}`}`
}

export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:bank/accounts',
    {
      schema: {
        summary: 'List the consented accounts',
        params: Type.Object({ bank: Type.String() }),
        response: { 200: AccountListSchema, ...PROBLEMS },
      },
    },
    async (request) => {
      const { caller } = request
      const customerId = requireAction(caller, 'list_accounts')
      const granted = grantedAccounts(caller, 'list_accounts')
      const accounts = await request.bank.store.accounts.listForCustomer(customerId)
      return { accounts: accounts.filter((a) => granted.has(a.id)).map(toAccount) }
    },
  )

  app.get(
    '/:bank/accounts/:accountId',
    {
      schema: {
        summary: 'Read one consented account',
        params: AccountParams,
        response: { 200: AccountSchema, ...PROBLEMS },
      },
    },
    async (request) => {
      const { caller } = request
      return toAccount(
        await consentedAccount(request, caller, request.params.accountId, 'list_accounts'),
      )
    },
  )

  app.get(
    '/:bank/accounts/:accountId/balances',
    {
      schema: {
        summary: 'Read the booked and available balances of a consented account',
        params: AccountParams,
        response: { 200: BalanceListSchema, ...PROBLEMS },
      },
    },
    async (request) => {
      const { caller } = request
      const { accountId } = request.params
      await consentedAccount(request, caller, accountId, 'read_balances')
      const balances = await request.bank.store.transactions.balances(accountId)
      if (balances === undefined) throw new ApiProblem(apiRules.notFound, `no account ${accountId}`)
      return { balances: toBalances(balances, isoSeconds(request.bank.now())) }
    },
  )

  app.get(
    '/:bank/accounts/:accountId/transactions',
    {
      schema: {
        summary: 'List the transactions of a consented account, newest first',
        params: AccountParams,
        querystring: TransactionQuery,
        response: { 200: TransactionListSchema, ...PROBLEMS },
      },
    },
    async (request) => {
      const { caller } = request
      const { accountId } = request.params
      const account = await consentedAccount(request, caller, accountId, 'read_transactions')
      const { limit, ...filters } = request.query
      let page: Awaited<ReturnType<typeof request.bank.store.transactions.listForAccount>>
      try {
        page = await request.bank.store.transactions.listForAccount(accountId, {
          ...filters,
          ...(limit === undefined ? {} : { limit: Number(limit) }),
        })
      } catch (error) {
        if (error instanceof InvalidQueryError) {
          throw new ApiProblem(apiRules.malformedRequest, error.message)
        }
        throw error
      }
      const currency = account.currency as CurrencyCode
      return {
        transactions: page.transactions.map((t) => toTransaction(t, currency)),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
        links: {
          self: `${request.bank.baseUrl}${request.url.slice(request.bank.bank.id.length + 1)}`,
          ...(page.nextCursor === undefined
            ? {}
            : { next: pageUrl(request, { after: page.nextCursor }) }),
          ...(page.prevCursor === undefined
            ? {}
            : { prev: pageUrl(request, { before: page.prevCursor }) }),
        },
      }
    },
  )

  app.get(
    '/:bank/accounts/:accountId/payees',
    {
      schema: {
        summary: "List the customer's saved payees through a consented account",
        params: AccountParams,
        response: { 200: PayeeListSchema, ...PROBLEMS },
      },
    },
    async (request) => {
      const { caller } = request
      const { accountId } = request.params
      const account = await consentedAccount(request, caller, accountId, 'read_payees')
      const payees = await request.bank.store.payees.listForCustomer(account.customerId)
      return {
        payees: payees.flatMap((payee) => toPayee(payee, accountId) ?? []),
      }
    },
  )
}
