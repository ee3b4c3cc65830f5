/**
 * `POST /{bank}/register` (RFC 7591 section 3) and the client configuration endpoint
 * `GET|PUT|DELETE /{bank}/register/{client_id}` (RFC 7592 section 2). Registration is open in the
 * sandbox (no initial access token, RFC 7591 section 3): a sandbox convenience, stated in every
 * registration response's `Sandbox-Notice` header and in docs/registration.md.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import {
  type ClientInformation,
  ClientInformationSchema,
  ClientUpdateRequestSchema,
  RegistrationRequestSchema,
} from '@sandbox/spec-types/oauth/registration'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import type { FastifyRequest } from 'fastify'
import { base64url } from 'jose'
import Type from 'typebox'
import type { BankContext } from '../bank-context.js'
import { checkClientMetadata } from '../checks/check-client-metadata.js'
import { checkRegistrationToken, type ManagedClient } from '../checks/check-registration-token.js'
import { ENDPOINT_PATHS } from '../metadata.js'
import { OAUTH_ERROR_RESPONSES } from '../plugins/oauth-scope.js'
import { hashToken, randomToken } from '../random.js'
import { registrationRules } from '../rules/registration.js'

const PATH = ENDPOINT_PATHS.registration_endpoint

/** Sandbox policy: anyone may register (DCR-08 leaves protection to the deployment). */
export const OPEN_REGISTRATION_NOTICE =
  'open registration: this sandbox bank asks for no initial access token (RFC 7591 section 3)'

/** SP 5.4.1-4: 128 random bits, 22 base64url characters, always chosen by the bank (DCR-12). */
function newClientId(bank: BankContext): string {
  return base64url.encode(bank.random(16))
}

/** RFC 7592 section 3: where the client reads, updates and deletes its registration. */
export function registrationClientUri(bank: BankContext, clientId: string): string {
  return `${bank.issuer}${PATH}/${clientId}`
}

/** The RFC 7591 section 3.2.1 / RFC 7592 section 3 response for a stored client. */
function clientInformation(
  record: ClientRecord,
  registrationAccessToken: string,
): ClientInformation {
  return {
    ...record.metadata,
    registration_access_token: registrationAccessToken,
    ...(record.automaticConsent === undefined
      ? {}
      : { sandbox_automatic_consent: record.automaticConsent }),
  }
}

const bankParams = Type.Object({ bank: Type.String() })
const clientParams = Type.Object({ bank: Type.String(), clientId: Type.String() })

export const registrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // RFC 7592 section 2: the registration access token is checked first, before any body is read.
  const managed = new WeakMap<FastifyRequest, ManagedClient>()
  const authenticate = async (request: FastifyRequest) => {
    const { clientId } = request.params as { clientId: string }
    managed.set(request, await checkRegistrationToken(request, clientId))
  }
  const managedClient = (request: FastifyRequest): ManagedClient => {
    const found = managed.get(request)
    if (found === undefined) throw new Error('client configuration route without authentication')
    return found
  }

  app.post(
    `/:bank${PATH}`,
    {
      schema: {
        params: bankParams,
        body: RegistrationRequestSchema,
        response: { 201: ClientInformationSchema, ...OAUTH_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { bank } = request
      const accepted = await checkClientMetadata(request.body, bank)
      const now = bank.now()
      const clientId = newClientId(bank)
      const registrationAccessToken = randomToken(bank.random)
      const record: ClientRecord = {
        clientId,
        metadata: {
          client_id: clientId,
          client_id_issued_at: now,
          registration_client_uri: registrationClientUri(bank, clientId),
          ...accepted.metadata,
        },
        registrationTokenHash: await hashToken(registrationAccessToken),
        automaticConsent: accepted.automaticConsent,
        createdAt: now,
        updatedAt: now,
      }
      await bank.store.clients.insert(record)
      // RFC 7591 section 3.2.1: 201 Created; the response carries a credential, so never cached.
      return reply
        .code(201)
        .headers({ 'cache-control': 'no-store', 'sandbox-notice': OPEN_REGISTRATION_NOTICE })
        .send(clientInformation(record, registrationAccessToken))
    },
  )
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: `/:bank${PATH}`,
    handler: async () => {
      throw new OAuthError(registrationRules.registrationMethod, 'use POST', { allow: 'POST' })
    },
  })

  app.get(
    `/:bank${PATH}/:clientId`,
    {
      schema: {
        params: clientParams,
        response: { 200: ClientInformationSchema, ...OAUTH_ERROR_RESPONSES },
      },
      onRequest: authenticate,
    },
    async (request, reply) => {
      const { client, registrationAccessToken } = managedClient(request)
      return reply
        .header('cache-control', 'no-store')
        .send(clientInformation(client, registrationAccessToken))
    },
  )

  app.put(
    `/:bank${PATH}/:clientId`,
    {
      schema: {
        params: clientParams,
        body: ClientUpdateRequestSchema,
        response: { 200: ClientInformationSchema, ...OAUTH_ERROR_RESPONSES },
      },
      onRequest: authenticate,
    },
    async (request, reply) => {
      const { bank } = request
      const managed = managedClient(request)
      const { client_id: clientId, ...metadata } = request.body
      if (clientId !== managed.client.clientId) {
        throw new OAuthError(registrationRules.clientIdImmutable, 'the body names another client')
      }
      // RFC 7592 section 2.2: the request replaces the metadata; omitted members are removed.
      const accepted = await checkClientMetadata(metadata, bank)
      const { metadata: previous } = managed.client
      const record: ClientRecord = {
        ...managed.client,
        metadata: {
          client_id: previous.client_id,
          client_id_issued_at: previous.client_id_issued_at,
          registration_client_uri: previous.registration_client_uri,
          ...accepted.metadata,
        },
        automaticConsent: accepted.automaticConsent,
        updatedAt: bank.now(),
      }
      await bank.store.clients.update(record)
      return reply
        .header('cache-control', 'no-store')
        .send(clientInformation(record, managed.registrationAccessToken))
    },
  )

  app.delete(
    `/:bank${PATH}/:clientId`,
    {
      schema: {
        params: clientParams,
        response: { 204: Type.Null(), ...OAUTH_ERROR_RESPONSES },
      },
      onRequest: authenticate,
    },
    async (request, reply) => {
      const { client } = managedClient(request)
      // RFC 7592 section 2.3: the client, its grants and their refresh tokens go at once.
      await request.bank.store.clients.delete(client.clientId)
      return reply.code(204).send(null)
    },
  )

  app.route({
    method: ['POST', 'PATCH'],
    url: `/:bank${PATH}/:clientId`,
    handler: async () => {
      throw new OAuthError(registrationRules.managementMethod, 'use GET, PUT or DELETE', {
        allow: 'GET, PUT, DELETE',
      })
    },
  })
}
