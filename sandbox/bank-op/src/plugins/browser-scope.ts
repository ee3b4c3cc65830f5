/**
 * The encapsulated context of the bank's browser endpoints (the authorization endpoint, sign-in,
 * consent and connected apps): form bodies and cookies, the bank resolved from the `{bank}` path
 * segment, the security headers every page carries, and an error handler that answers with an
 * HTML page, never a redirect (RFC 6749 section 4.1.2.1: redirects are the routes' decision).
 */
import cookie from '@fastify/cookie'
import formBody from '@fastify/formbody'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { BankContext } from '../bank-context.js'
import type { BankDirectory } from '../bank-directory.js'
import { type BrowserState, createBrowserState } from '../browser/browser-state.js'
import { errorPage, failurePage, unknownBankPage } from '../pages/error-page.js'
import { contentSecurityPolicy, type Page, type PageBrand, renderPage } from '../pages/layout.js'
import { requestRules } from '../rules/request.js'
import { UNKNOWN_BANK_STATUS, unknownBankProblem } from '../unknown-bank.js'
import { oauthErrorFromFastify } from './oauth-scope.js'

/** Sandbox policy: no form of the bank's pages needs more than 16 KiB. */
export const PAGE_BODY_LIMIT = 16 * 1024

/**
 * On every response of the scope, pages, redirects and errors alike: HSTS (FAPI 2.0 SP 5.2.3-1,
 * AS-TLS-04; preload is impossible for a sandbox host), no framing (RFC 9700 section 4.16,
 * AS-AZ-14), never cached, no Referer to the client (RFC 9700 section 4.2.4). CORS headers are
 * never set (AS-TLS-06). Pages replace the CSP with one that admits their style sheet.
 */
export const PAGE_SECURITY_HEADERS = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': contentSecurityPolicy("'none'", []),
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
} as const

/** The look of pages for a path that names no bank. */
const SANDBOX_BRAND: PageBrand = {
  id: 'sandbox',
  name: 'Sandbox',
  legalName: 'Open banking sandbox',
  brand: { primaryColour: '#334155', accentColour: '#cbd5e1' },
}

export interface BrowserScopeOptions {
  directory: BankDirectory
  contexts: ReadonlyMap<string, BankContext>
  publicBaseUrl: string
}

declare module 'fastify' {
  interface FastifyRequest {
    /** What the bank's pages remember for the bank of this request. */
    browser: BrowserState
  }
}

/** Sends a rendered page with its Content-Security-Policy. */
export function sendPage(reply: FastifyReply, page: Page, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-security-policy', page.contentSecurityPolicy)
    .type('text/html; charset=utf-8')
    .send(page.text)
}

/** Schema and parser failures as the rule they break; a repeated query parameter included. */
function pageErrorFromFastify(error: FastifyError, request: FastifyRequest): OAuthError {
  if (error.validation !== undefined && error.validationContext === 'querystring') {
    const query = request.query as Record<string, unknown>
    const repeated = Object.keys(query).find((name) => Array.isArray(query[name]))
    if (repeated !== undefined) {
      return new OAuthError(requestRules.repeatedParameter, `${repeated} was sent more than once`)
    }
  }
  return oauthErrorFromFastify(error, request)
}

async function browserScope(app: FastifyInstance, options: BrowserScopeOptions) {
  const { contexts, directory, publicBaseUrl } = options
  app.removeAllContentTypeParsers()
  await app.register(formBody, { bodyLimit: PAGE_BODY_LIMIT })
  await app.register(cookie)

  const states = new Map([...contexts].map(([id, bank]) => [id, createBrowserState(bank)]))
  app.decorateRequest('bank', null as unknown as BankContext)
  app.decorateRequest('browser', null as unknown as BrowserState)

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(PAGE_SECURITY_HEADERS)
    const bankId = (request.params as { bank?: string }).bank ?? ''
    const bank = contexts.get(bankId)
    const state = states.get(bankId)
    if (bank === undefined || state === undefined) {
      const { detail } = unknownBankProblem(directory, bankId, publicBaseUrl)
      const page = renderPage(SANDBOX_BRAND, {
        title: 'Unknown bank',
        body: unknownBankPage(detail),
      })
      return sendPage(reply, page, UNKNOWN_BANK_STATUS)
    }
    request.bank = bank
    request.browser = state
  })

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const brand: PageBrand = (request.bank as BankContext | null)?.bank ?? SANDBOX_BRAND
    const status = error.statusCode ?? 500
    const rejection =
      error instanceof OAuthError
        ? error
        : error.validation !== undefined || (status >= 400 && status < 500)
          ? pageErrorFromFastify(error, request)
          : undefined
    if (rejection === undefined) {
      // Always a bug to fix: logged with the request id, shown without internals.
      request.log.error({ err: error }, 'unexpected error in a bank page')
      return sendPage(reply, renderPage(brand, { title: 'Error', body: failurePage() }), 500)
    }
    const page = renderPage(brand, { title: 'Request refused', body: errorPage(rejection) })
    return sendPage(reply.headers(rejection.headers), page, rejection.rule.status)
  })
}

export const browserScopePlugin = fp(browserScope, { name: 'browser-scope' })
