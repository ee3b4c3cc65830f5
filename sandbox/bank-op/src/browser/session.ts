/**
 * Browser sessions of the bank's pages: a `__Host-` cookie (RFC 6265bis section 4.1.3.2) that is
 * HttpOnly, Secure and SameSite=Lax, holding 256 random bits, and the synchronizer CSRF token
 * each form carries, compared in constant time.
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-10.12
 */
import { timingSafeEqual } from 'node:crypto'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { BankContext } from '../bank-context.js'
import { randomToken } from '../random.js'
import { authorizeRules } from '../rules/authorize.js'
import {
  type BrowserSession,
  type BrowserState,
  SESSION_SECONDS,
  type SignedInCustomer,
} from './browser-state.js'

/**
 * One cookie per bank: the banks share bank-op's host, and `__Host-` pins the cookie to that host
 * and to Path=/, so the bank id goes into the name.
 */
export function sessionCookieName(bank: BankContext): string {
  return `__Host-${bank.bank.id}-session`
}

function setSessionCookie(reply: FastifyReply, bank: BankContext, id: string): void {
  reply.setCookie(sessionCookieName(bank), id, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
  })
}

/** The live session named by the request's cookie, if any. */
export function readSession(
  request: FastifyRequest,
  bank: BankContext,
  state: BrowserState,
): BrowserSession | undefined {
  const id = request.cookies[sessionCookieName(bank)]
  return id === undefined ? undefined : state.sessions.get(id)
}

function newSession(
  reply: FastifyReply,
  bank: BankContext,
  state: BrowserState,
  customer?: SignedInCustomer,
): BrowserSession {
  const session: BrowserSession = {
    id: randomToken(bank.random),
    csrfToken: randomToken(bank.random),
    customer,
    expiresAt: bank.now() + SESSION_SECONDS,
  }
  state.sessions.set(session.id, session, session.expiresAt)
  setSessionCookie(reply, bank, session.id)
  return session
}

/** The request's session, or a new one with its cookie set on the reply. */
export function openSession(
  request: FastifyRequest,
  reply: FastifyReply,
  bank: BankContext,
  state: BrowserState,
): BrowserSession {
  return readSession(request, bank, state) ?? newSession(reply, bank, state)
}

/**
 * Replaces the session by a new id and CSRF token for the customer who just signed in, so
 * an id planted before it (session fixation) is worth nothing after (OWASP Session Management:
 * renew the id on every privilege change).
 */
export function renewSession(
  reply: FastifyReply,
  bank: BankContext,
  state: BrowserState,
  session: BrowserSession,
  customer: SignedInCustomer,
): BrowserSession {
  state.sessions.delete(session.id)
  return newSession(reply, bank, state, customer)
}

/** Ends the session and clears its cookie. */
export function endSession(
  reply: FastifyReply,
  bank: BankContext,
  state: BrowserState,
  session: BrowserSession,
): void {
  state.sessions.delete(session.id)
  reply.clearCookie(sessionCookieName(bank), {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
  })
}

function sameToken(expected: string, actual: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(actual)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * The session a form was posted in, once its CSRF token matches.
 * @throws OAuthError AS-AZ-14 (no live session, or a missing or wrong token)
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-10.12
 */
export function checkFormSession(
  request: FastifyRequest,
  bank: BankContext,
  state: BrowserState,
  csrfToken: string | undefined,
): BrowserSession {
  const session = readSession(request, bank, state)
  if (session === undefined) {
    throw new OAuthError(authorizeRules.browserSession, 'no live session cookie came with the form')
  }
  if (csrfToken === undefined || !sameToken(session.csrfToken, csrfToken)) {
    throw new OAuthError(authorizeRules.browserSession, 'the CSRF token is missing or wrong')
  }
  return session
}
