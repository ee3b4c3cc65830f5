/**
 * DESIGN principle 3: nothing answers 500 to bad input. Every endpoint of every listener gets the
 * same battery of malformed requests; each must be refused with a 4xx (or ignored with 2xx/3xx
 * where the specification says to ignore), never a server error.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { buildTestBankOp, dpopBank, mtlsBank, type TestBankOp } from './helpers.js'

let op: TestBankOp

beforeAll(async () => {
  op = await buildTestBankOp()
})
afterAll(() => op.close())

const BANKS = [dpopBank().id, mtlsBank().id, 'no-such-bank']

const ENDPOINTS: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string }[] = [
  { method: 'POST', path: '/par' },
  { method: 'POST', path: '/token' },
  { method: 'POST', path: '/introspect' },
  { method: 'POST', path: '/revoke' },
  { method: 'POST', path: '/register' },
  { method: 'GET', path: '/register/some-client' },
  { method: 'PUT', path: '/register/some-client' },
  { method: 'DELETE', path: '/register/some-client' },
  { method: 'GET', path: '/userinfo' },
  { method: 'POST', path: '/userinfo' },
  { method: 'GET', path: '/authorize' },
  { method: 'GET', path: '/interaction/x' },
  { method: 'POST', path: '/interaction/x/password' },
  { method: 'POST', path: '/interaction/x/code' },
  { method: 'POST', path: '/interaction/x/consent' },
  { method: 'POST', path: '/interaction/x/cancel' },
  { method: 'GET', path: '/connected-apps' },
  { method: 'POST', path: '/connected-apps/x/revoke' },
  { method: 'POST', path: '/sign-out' },
  { method: 'GET', path: '/.well-known/openid-configuration' },
  { method: 'GET', path: '/jwks' },
]

const NOT_A_JWT = 'eyJhbGciOiJFUzI1NiJ9.%%%.@@@'
const huge = 'x'.repeat(3 * 1024 * 1024)

const BODIES: {
  name: string
  headers: Record<string, string>
  payload?: string
  query?: string
}[] = [
  { name: 'bad JSON', headers: { 'content-type': 'application/json' }, payload: '{"a":' },
  { name: 'JSON array', headers: { 'content-type': 'application/json' }, payload: '[1,2]' },
  { name: 'JSON null', headers: { 'content-type': 'application/json' }, payload: 'null' },
  { name: 'text/plain', headers: { 'content-type': 'text/plain' }, payload: 'hello' },
  {
    name: 'multipart',
    headers: { 'content-type': 'multipart/form-data; boundary=x' },
    payload: '--x--',
  },
  { name: 'no content type', headers: {}, payload: 'a=b' },
  {
    name: 'broken percent-encoding',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=%E0%A4%A&client_id=%',
  },
  {
    name: 'garbage JWTs everywhere',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      dpop: NOT_A_JWT,
      authorization: `DPoP ${NOT_A_JWT}`,
    },
    payload: `grant_type=client_credentials&client_id=c&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=${NOT_A_JWT}&token=${NOT_A_JWT}&request=${NOT_A_JWT}`,
  },
  {
    name: 'repeated parameters',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=a&grant_type=b&client_id=a&client_id=b&token=a&token=b',
  },
  {
    name: 'a 3 MiB body',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `state=${huge}`,
  },
  {
    name: 'odd query parameters',
    headers: { authorization: 'Bearer', cookie: '__Host-x=%%%; a' },
    query:
      'client_id=%FF&request_uri[]=x&request_uri=urn:ietf:params:oauth:request_uri:&access_token=x',
  },
]

test.each(BODIES)('$name: no endpoint answers 5xx', async ({ headers, payload, query }) => {
  const failures: string[] = []
  for (const bank of BANKS) {
    for (const { method, path } of ENDPOINTS) {
      for (const app of [op.app, op.mtlsApp]) {
        if (app === undefined) continue
        const res = await app.inject({
          method,
          url: `/${bank}${path}${query === undefined ? '' : `?${query}`}`,
          headers,
          ...(method === 'GET' || payload === undefined ? {} : { payload }),
        })
        if (res.statusCode >= 500)
          failures.push(`${method} /${bank}${path}: ${res.statusCode} ${res.body.slice(0, 120)}`)
      }
    }
  }
  expect(failures).toEqual([])
})
