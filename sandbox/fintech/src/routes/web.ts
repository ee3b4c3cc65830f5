/**
 * The built front end (vite, `dist/web`), served by the back end so the pages and the API share
 * one origin and the session cookie. Every page answers with a strict Content-Security-Policy.
 */
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsync } from 'fastify'

/** Scripts and styles from this origin only; no framing (clickjacking); no plugins. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

export const webRoutes: FastifyPluginAsync<{ root: string }> = async (app, options) => {
  await app.register(fastifyStatic, {
    root: options.root,
    index: 'index.html',
    setHeaders: (res) => {
      res.header('content-security-policy', CONTENT_SECURITY_POLICY)
      res.header('x-content-type-options', 'nosniff')
      res.header('referrer-policy', 'no-referrer')
    },
  })
}
