/**
 * The dashboard's data, read from each connected bank's APIs with that connection's tokens:
 * accounts with balances across banks, one account's transactions page by page with search,
 * spending by category over the last months, and saved payees. A bank that fails affects only its
 * own part of the page, with a message saying what to do.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Account } from '@sandbox/spec-types/banking/account'
import type { Balance } from '@sandbox/spec-types/banking/balance'
import type { Payee } from '@sandbox/spec-types/banking/payee'
import type { Transaction } from '@sandbox/spec-types/banking/transaction'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import { callWithConnection, type FintechContext, providerOf } from '../context.js'
import { FintechProblem, problems } from '../problems.js'
import type { Connection } from '../store/sessions.js'
import { AccountsSchema, PayeesSchema, SpendingSchema, TransactionPageSchema } from './schemas.js'

const TransactionsQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    before: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-4][0-9]|50)$' })),
  },
  { additionalProperties: false },
)

/** How much spending history the chart shows, and the most pages read per account for it. */
export const SPENDING_MONTHS = 6
const SPENDING_MAX_PAGES = 20

interface BankProblem {
  bankId: string
  bankName: string
  title: string
  detail: string
  action: string
}

function problemOf(context: FintechContext, bankId: string, error: unknown): BankProblem {
  if (!(error instanceof FintechProblem)) throw error
  return {
    bankId,
    bankName: providerOf(context, bankId).name,
    title: error.title,
    detail: error.message,
    action: error.action,
  }
}

const active = (request: FastifyRequest) =>
  [...request.session.connections.values()].filter((c) => c.status === 'active')

const allows = (connection: Connection, action: string) => connection.actions.includes(action)

/** GET a JSON resource of the connection's bank; a refusal other than 401 is the bank's problem. */
async function read(
  context: FintechContext,
  connection: Connection,
  path: string,
): Promise<Record<string, unknown>> {
  const provider = providerOf(context, connection.bankId)
  const { res, body } = await callWithConnection(
    context,
    connection,
    'GET',
    `${provider.apiBaseUrl}${path}`,
  )
  if (res.status !== 200 || body === undefined) {
    const detail = typeof body?.detail === 'string' ? body.detail : `It answered ${res.status}.`
    throw problems.bankRefused(provider.name, provider.id, detail)
  }
  return body
}

/** Money leaving for goods and services; moving money between one's own accounts is not spending. */
const NOT_SPENDING = new Set(['transfers', 'credit_card_repayment', 'opening_balance'])
const isSpending = (category: string) => !NOT_SPENDING.has(category)

/** Minor units of a decimal amount string (two decimals at most in the sandbox currencies). */
function minorUnits(amount: string): number {
  const [units = '0', cents = ''] = amount.split('.')
  return Number(units) * 100 + Number(cents.padEnd(2, '0').slice(0, 2))
}

const fromMinor = (minor: number) => (minor / 100).toFixed(2)

async function accountsOf(context: FintechContext, connection: Connection) {
  const { accounts } = (await read(context, connection, '/accounts')) as { accounts: Account[] }
  return Promise.all(
    accounts.map(async (account) => {
      if (!allows(connection, 'read_balances')) return { ...account, balances: [] as Balance[] }
      const { balances } = (await read(
        context,
        connection,
        `/accounts/${encodeURIComponent(account.accountId)}/balances`,
      )) as { balances: Balance[] }
      return { ...account, balances }
    }),
  )
}

/** Newest-first pages of an account's transactions until `since` (a date) is passed. */
async function transactionsSince(
  context: FintechContext,
  connection: Connection,
  accountId: string,
  since: string,
): Promise<Transaction[]> {
  const found: Transaction[] = []
  let path = `/accounts/${encodeURIComponent(accountId)}/transactions?limit=100&bookedFrom=${since}`
  for (let page = 0; page < SPENDING_MAX_PAGES; page += 1) {
    const body = (await read(context, connection, path)) as {
      transactions: Transaction[]
      nextCursor?: string
    }
    found.push(...body.transactions)
    if (body.nextCursor === undefined) break
    path = `/accounts/${encodeURIComponent(accountId)}/transactions?limit=100&bookedFrom=${since}&after=${encodeURIComponent(body.nextCursor)}`
  }
  return found
}

/** The first day of the month `months` before the month of `day` (YYYY-MM-DD). */
function monthsBefore(day: Date, months: number): string {
  const start = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - months, 1))
  return start.toISOString().slice(0, 10)
}

export function accountRoutes(context: FintechContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/accounts', { schema: { response: { 200: AccountsSchema } } }, async (request) => {
      const problemsByBank: BankProblem[] = []
      const banks = await Promise.all(
        active(request).map(async (connection) => {
          const provider = providerOf(context, connection.bankId)
          try {
            return {
              bankId: provider.id,
              bankName: provider.name,
              brand: provider.brand,
              connectionId: connection.id,
              actions: [...connection.actions],
              accounts: await accountsOf(context, connection),
            }
          } catch (error) {
            problemsByBank.push(problemOf(context, connection.bankId, error))
            return undefined
          }
        }),
      )
      return { banks: banks.filter((bank) => bank !== undefined), problems: problemsByBank }
    })

    app.get(
      '/api/connections/:id/accounts/:accountId/transactions',
      {
        schema: {
          params: Type.Object({
            id: Type.String({ maxLength: 64 }),
            accountId: Type.String({ minLength: 1, maxLength: 64 }),
          }),
          querystring: TransactionsQuery,
          response: { 200: TransactionPageSchema },
        },
      },
      async (request) => {
        const connection = request.session.connections.get(request.params.id)
        if (connection === undefined || connection.status !== 'active') {
          throw problems.notFound('connection')
        }
        const query = new URLSearchParams({ limit: request.query.limit ?? '20' })
        for (const name of ['after', 'before', 'text'] as const) {
          const value = request.query[name]
          if (value !== undefined) query.set(name, value)
        }
        const body = (await read(
          context,
          connection,
          `/accounts/${encodeURIComponent(request.params.accountId)}/transactions?${query}`,
        )) as { transactions: Transaction[]; nextCursor?: string; links?: { prev?: string } }
        // The bank's own links name its URLs; the app pages by cursor.
        const prev =
          body.links?.prev === undefined
            ? undefined
            : (new URL(body.links.prev).searchParams.get('before') ?? undefined)
        return {
          transactions: body.transactions,
          ...(body.nextCursor === undefined ? {} : { nextCursor: body.nextCursor }),
          ...(prev === undefined ? {} : { prevCursor: prev }),
        }
      },
    )

    app.get('/api/spending', { schema: { response: { 200: SpendingSchema } } }, async (request) => {
      const byCurrency = new Map<string, Map<string, Map<string, number>>>()
      const problemsByBank: BankProblem[] = []
      await Promise.all(
        active(request)
          .filter((connection) => allows(connection, 'read_transactions'))
          .map(async (connection) => {
            try {
              const { accounts } = (await read(context, connection, '/accounts')) as {
                accounts: Account[]
              }
              for (const account of accounts) {
                // Seeded data ends on its own "as of" day: the window follows the newest entry.
                const newest = (await read(
                  context,
                  connection,
                  `/accounts/${encodeURIComponent(account.accountId)}/transactions?limit=1`,
                )) as { transactions: Transaction[] }
                const last = newest.transactions[0]
                if (last === undefined) continue
                const since = monthsBefore(new Date(last.bookingDateTime), SPENDING_MONTHS - 1)
                const rows = await transactionsSince(context, connection, account.accountId, since)
                for (const row of rows) {
                  if (row.creditDebitIndicator !== 'debit' || !isSpending(row.category)) continue
                  const months = byCurrency.get(row.amount.currency) ?? new Map()
                  byCurrency.set(row.amount.currency, months)
                  const month = row.bookingDateTime.slice(0, 7)
                  const categories = months.get(month) ?? new Map<string, number>()
                  months.set(month, categories)
                  categories.set(
                    row.category,
                    (categories.get(row.category) ?? 0) + minorUnits(row.amount.amount),
                  )
                }
              }
            } catch (error) {
              problemsByBank.push(problemOf(context, connection.bankId, error))
            }
          }),
      )
      return {
        currencies: [...byCurrency].map(([currency, months]) => ({
          currency,
          months: [...months]
            .sort(([a], [b]) => a.localeCompare(b))
            .slice(-SPENDING_MONTHS)
            .map(([month, categories]) => ({
              month,
              categories: Object.fromEntries(
                [...categories].map(([category, minor]) => [category, fromMinor(minor)]),
              ),
            })),
        })),
        problems: problemsByBank,
      }
    })

    app.get('/api/payees', { schema: { response: { 200: PayeesSchema } } }, async (request) => {
      const payees: Array<Payee & { bankId: string }> = []
      const problemsByBank: BankProblem[] = []
      await Promise.all(
        active(request)
          .filter((connection) => allows(connection, 'read_payees'))
          .map(async (connection) => {
            try {
              const { accounts } = (await read(context, connection, '/accounts')) as {
                accounts: Account[]
              }
              const seen = new Set<string>()
              for (const account of accounts) {
                const listed = (await read(
                  context,
                  connection,
                  `/accounts/${encodeURIComponent(account.accountId)}/payees`,
                )) as { payees: Payee[] }
                for (const payee of listed.payees) {
                  // The bank keeps payees per customer and lists them through every account.
                  if (seen.has(payee.payeeId)) continue
                  seen.add(payee.payeeId)
                  payees.push({ ...payee, bankId: connection.bankId })
                }
              }
            } catch (error) {
              problemsByBank.push(problemOf(context, connection.bankId, error))
            }
          }),
      )
      return { payees, problems: problemsByBank }
    })
  }
}
