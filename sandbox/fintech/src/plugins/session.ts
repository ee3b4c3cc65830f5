/**
 * The browser session: an unguessable id in a `__Host-` cookie (Secure, HttpOnly, SameSite=Lax so
 * it comes back with the bank's top-level redirect to the callback; RFC 6265bis 4.1.3.2), and the
 * anti-forgery token every state-changing call must echo in a header (CL-16, FAPI 2.0 SP
 * 5.3.3.1-4).
 */
import { timingSafeEqual } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { problems } from '../problems.js'
import type { Session, SessionStore } from '../store/sessions.js'

export const SESSION_COOKIE = '__Host-fintech-session'
/** The header the front end echoes the session's anti-forgery token in. */
export const CSRF_HEADER = 'x-csrf-token'

declare module 'fastify' {
  interface FastifyRequest {
    session: Session
  }
}

const sessionPlugin: FastifyPluginAsync<{ sessions: SessionStore }> = async (app, options) => {
  await app.register(fastifyCookie)
  app.decorateRequest('session', undefined as unknown as Session)
  app.addHook('onRequest', async (request, reply) => {
    const known = options.sessions.get(request.cookies[SESSION_COOKIE])
    if (known !== undefined) {
      request.session = known
      return
    }
    request.session = options.sessions.create()
    reply.setCookie(SESSION_COOKIE, request.session.id, {
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'lax',
    })
  })
}

export const fintechSessions = fp(sessionPlugin, { name: 'fintech-session' })

/**
 * Refuses a state-changing call that does not carry the session's anti-forgery token: another site
 * can make the browser send the cookie, never this header (CL-16).
 * @throws FintechProblem 403
 */
export function checkCsrf(request: FastifyRequest): void {
  const sent = request.headers[CSRF_HEADER]
  const expected = Buffer.from(request.session.csrfToken)
  const given = Buffer.from(typeof sent === 'string' ? sent : '')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw problems.forgery()
  }
}
