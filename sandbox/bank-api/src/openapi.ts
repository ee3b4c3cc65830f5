/**
 * The bank APIs described in OpenAPI 3.1, generated from the route schemas (DESIGN principle 3:
 * spec-types is the one source), one document per bank: its base URL as the server, its paths
 * without the `/{bank}` prefix, and the security scheme its profile demands (DPoP, or a bearer
 * token over mutual TLS). Each is served at `/{bank}/openapi.json` and browsed with Swagger UI at
 * `/{bank}/docs`, all assets local so the sandbox works offline.
 * @see https://spec.openapis.org/oas/v3.1.0
 */
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { Bank } from '@sandbox/spec-types/banking/bank'
import type { FastifyInstance } from 'fastify'
import type { ApiBank } from './api-bank.js'
import { INTERACTION_ID_HEADER } from './plugins/api-scope.js'

type OpenApiDocument = Record<string, unknown> & {
  paths?: Record<string, Record<string, Operation>>
}
interface Operation {
  parameters?: { in: string; name: string }[]
  security?: unknown
  [key: string]: unknown
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options'])

const DPOP_DESCRIPTION =
  'A DPoP-bound access token of this bank (RFC 9449): `Authorization: DPoP <token>` and a `DPoP` header with a fresh proof signed by the bound key, with `htm`, `htu` (the URL without query), `iat`, a unique `jti` and `ath` (the token hash). The bank answers 401 `use_dpop_nonce` with a `DPoP-Nonce` header when it wants a nonce in the proof.'

const MTLS_DESCRIPTION =
  'A certificate-bound access token of this bank (RFC 8705): `Authorization: Bearer <token>` over a TLS connection presenting the client certificate the token is bound to.'

function describeBank(bank: Bank): string {
  const access =
    bank.profile.senderConstraint === 'dpop'
      ? 'Every request carries a DPoP-bound access token and a fresh DPoP proof (RFC 9449)'
      : 'Every request carries a certificate-bound access token over mutual TLS with the bound certificate (RFC 8705)'
  return [
    `The account information and payment initiation APIs of ${bank.name}, a sandbox bank that enforces FAPI 2.0.`,
    `${access}. What a token may read or pay is what the customer consented to in its \`authorization_details\` (RFC 9396).`,
    'Refusals are RFC 9457 problem documents whose `type` resolves to a description of the rule, with a `WWW-Authenticate` challenge when the token or proof was refused.',
    `Every response carries \`${INTERACTION_ID_HEADER}\`: the one the client sent, or a new UUID.`,
  ].join('\n\n')
}

/** One bank's document, from the document of the whole server. */
export function bankDocument(whole: Readonly<OpenApiDocument>, bank: ApiBank): OpenApiDocument {
  const dpop = bank.bank.profile.senderConstraint === 'dpop'
  const paths: Record<string, Record<string, Operation>> = {}
  for (const [path, item] of Object.entries(whole.paths ?? {})) {
    if (!path.startsWith('/{bank}/')) continue
    const operations: Record<string, Operation> = {}
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue
      operations[method] = {
        ...operation,
        parameters: [
          ...(operation.parameters ?? []).filter((p) => !(p.in === 'path' && p.name === 'bank')),
          {
            in: 'header',
            name: INTERACTION_ID_HEADER,
            required: false,
            description: 'A UUID correlating this exchange; echoed in the response (or made up)',
            schema: { type: 'string', format: 'uuid' },
          },
        ] as Operation['parameters'],
        security: dpop ? [{ DPoP: [] }] : [{ mutualTLS: [], bearer: [] }],
      }
    }
    paths[path.slice('/{bank}'.length)] = operations
  }
  const components = (whole.components ?? {}) as Record<string, unknown>
  return {
    openapi: whole.openapi,
    info: {
      title: `${bank.bank.name} APIs`,
      version: (whole.info as { version?: string } | undefined)?.version ?? '1.0.0',
      description: describeBank(bank.bank),
    },
    servers: [{ url: bank.baseUrl, description: bank.bank.legalName }],
    paths,
    components: {
      ...components,
      securitySchemes: dpop
        ? { DPoP: { type: 'http', scheme: 'DPoP', description: DPOP_DESCRIPTION } }
        : {
            mutualTLS: { type: 'mutualTLS', description: MTLS_DESCRIPTION },
            bearer: { type: 'http', scheme: 'bearer', description: MTLS_DESCRIPTION },
          },
    },
  }
}

/**
 * Registers the generator, then per bank its document and Swagger UI. Call before the routes
 * register: @fastify/swagger records the routes added after it.
 */
export async function registerOpenApi(app: FastifyInstance, banks: ReadonlyMap<string, ApiBank>) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Sandbox bank APIs', version: '1.0.0' },
    },
    // Components named by the spec-types `$id`s (Account, Payment, …), not def-0, def-1.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) =>
        typeof json.$id === 'string' ? json.$id : `def-${index}`,
    },
  })
  const documents = new Map<string, OpenApiDocument>()
  const documentOf = (bank: ApiBank) => {
    let document = documents.get(bank.bank.id)
    if (document === undefined) {
      document = bankDocument(app.swagger() as OpenApiDocument, bank)
      documents.set(bank.bank.id, document)
    }
    return document
  }
  for (const bank of banks.values()) {
    app.get(`/${bank.bank.id}/openapi.json`, { schema: { hide: true } }, async () =>
      documentOf(bank),
    )
    // Each UI in its own scope: the plugin decorates the instance it is registered on.
    await app.register(async (scope) => {
      await scope.register(swaggerUi, {
        routePrefix: `/${bank.bank.id}/docs`,
        transformSpecification: () => documentOf(bank),
        uiConfig: { deepLinking: true, docExpansion: 'list' },
      })
    })
  }
}
