/**
 * The ecosystem at a glance: each bank with its profile and discovery links, its registered
 * clients and test users, its customers (searchable) and the grants across them, which the
 * console can revoke (the bank's APIs refuse the grant's tokens from the next request on).
 * Test users' passwords and codes are published in the README, never shown here (the console is
 * projected in workshops; secrets never appear on it).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { BankTenant } from '@sandbox/service-kit/tenant'
import { type BankRepositories, bankRepositories } from '@sandbox/store/bank-database'
import { effectiveStatus } from '@sandbox/store/repositories/grants'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'

export interface EcosystemLinks {
  /** bank-op's public origin: issuer `${bankOp}/${bank}`. */
  bankOp: string
  /** bank-api's public origin: APIs at `${bankApi}/${bank}`. */
  bankApi: string
  fintech?: string | undefined
}

const BankParams = Type.Object({ bank: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) })
const Problem = Type.Object({ title: Type.String(), status: Type.Integer(), detail: Type.String() })

const CustomersSchema = Type.Object({
  customers: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      email: Type.String(),
      city: Type.String(),
      accounts: Type.Array(
        Type.Object({
          id: Type.String(),
          name: Type.String(),
          type: Type.String(),
          currency: Type.String(),
        }),
      ),
    }),
  ),
})

const GrantsSchema = Type.Object({
  grants: Type.Array(
    Type.Object({
      id: Type.String(),
      clientId: Type.String(),
      customerId: Type.String(),
      status: Type.String(),
      scope: Type.Union([Type.String(), Type.Null()]),
      authorizationDetails: Type.Array(Type.Object({ type: Type.String() })),
      createdAt: Type.String(),
      expiresAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
})

/** A custom header a cross-site form cannot send: the console's state changes require it. */
export const CONSOLE_HEADER = 'x-sandbox-console'

export function ecosystemRoutes(
  tenants: readonly BankTenant[],
  links: EcosystemLinks,
  now: () => number,
): FastifyPluginAsyncTypebox {
  const banks = new Map(
    tenants.map((tenant) => [tenant.bank.id, { ...tenant, store: bankRepositories(tenant.db) }]),
  )
  const bankOf = (id: string): (BankTenant & { store: BankRepositories }) | undefined =>
    banks.get(id)
  const unknown = (id: string) => ({
    title: 'Unknown bank',
    status: 404,
    detail: `the sandbox has no bank ${id}`,
  })

  return async (app) => {
    app.get('/api/ecosystem', async () => ({
      links,
      banks: await Promise.all(
        [...banks.values()].map(async ({ bank, store }) => {
          const issuer = `${links.bankOp}/${bank.id}`
          const [clients, testUsers, customers] = await Promise.all([
            store.clients.list(),
            store.testUsers.list(),
            store.customers.count(),
          ])
          return {
            id: bank.id,
            name: bank.name,
            currency: bank.currency,
            brand: bank.brand,
            profile: bank.profile,
            issuer,
            discovery: `${issuer}/.well-known/openid-configuration`,
            apiDocs: `${links.bankApi}/${bank.id}/docs`,
            customers,
            testUsers: testUsers.map((user) => ({
              username: user.username,
              customerName: user.customerName,
            })),
            clients: clients.map((client) => ({
              clientId: client.clientId,
              name: client.metadata.client_name ?? client.clientId,
              authMethod: client.metadata.token_endpoint_auth_method,
              redirectUris: client.metadata.redirect_uris,
              automaticConsent: client.automaticConsent ?? null,
            })),
          }
        }),
      ),
    }))

    app.get(
      '/api/banks/:bank/customers',
      {
        schema: {
          params: BankParams,
          querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }),
          response: { 200: CustomersSchema, 404: Problem },
        },
      },
      async (request, reply) => {
        const bank = bankOf(request.params.bank)
        if (bank === undefined) return reply.code(404).send(unknown(request.params.bank))
        const query = request.query.q?.trim() ?? ''
        const found =
          query === ''
            ? await bank.store.customers.list({ limit: 20 })
            : await bank.store.customers.search(query, 20)
        return {
          customers: await Promise.all(
            found.map(async (customer) => ({
              id: customer.id,
              name: `${customer.givenName} ${customer.familyName}`,
              email: customer.email,
              city: customer.city,
              accounts: (await bank.store.accounts.listForCustomer(customer.id)).map((a) => ({
                id: a.id,
                name: a.name,
                type: a.type,
                currency: a.currency,
              })),
            })),
          ),
        }
      },
    )

    app.get(
      '/api/banks/:bank/grants',
      { schema: { params: BankParams, response: { 200: GrantsSchema, 404: Problem } } },
      async (request, reply) => {
        const bank = bankOf(request.params.bank)
        if (bank === undefined) return reply.code(404).send(unknown(request.params.bank))
        const grants = await bank.store.grants.listRecent(100)
        return {
          grants: grants.map((grant) => ({
            id: grant.id,
            clientId: grant.clientId,
            customerId: grant.customerId,
            status: effectiveStatus(grant, now()),
            scope: grant.scope ?? null,
            authorizationDetails: grant.authorizationDetails ?? [],
            createdAt: new Date(grant.createdAt * 1000).toISOString(),
            expiresAt:
              grant.expiresAt === undefined ? null : new Date(grant.expiresAt * 1000).toISOString(),
          })),
        }
      },
    )

    app.post(
      '/api/banks/:bank/grants/:grantId/revoke',
      {
        schema: {
          params: Type.Object({
            bank: BankParams.properties.bank,
            grantId: Type.String({ minLength: 1, maxLength: 128 }),
          }),
          response: { 200: Type.Object({ revoked: Type.Boolean() }), 404: Problem, 403: Problem },
        },
      },
      async (request: FastifyRequest<{ Params: { bank: string; grantId: string } }>, reply) => {
        if (request.headers[CONSOLE_HEADER] !== '1') {
          return reply.code(403).send({
            title: 'Refused',
            status: 403,
            detail: `state changes come from the console's own pages (the ${CONSOLE_HEADER} header)`,
          })
        }
        const bank = bankOf(request.params.bank)
        if (bank === undefined) return reply.code(404).send(unknown(request.params.bank))
        const revoked = await bank.store.grants.revoke(
          request.params.grantId,
          now(),
          'revoked in the sandbox console',
        )
        if (!revoked) {
          return reply.code(404).send({
            title: 'No such grant',
            status: 404,
            detail: `${bank.bank.name} has no active grant ${request.params.grantId}`,
          })
        }
        return { revoked: true }
      },
    )
  }
}
