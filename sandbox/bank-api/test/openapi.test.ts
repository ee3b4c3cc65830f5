/**
 * The OpenAPI 3.1 document of each bank, generated from the route schemas, and Swagger UI over it.
 */
import { compileErrors, validate } from '@readme/openapi-parser'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildTestApi, DPOP_BANK, MTLS_BANK, type TestApi } from './fixtures.js'

let api: TestApi

beforeAll(async () => {
  api = await buildTestApi()
}, 120_000)
afterAll(() => api?.close())

async function documentOf(bankId: string) {
  const res = await api.app.inject({ method: 'GET', url: `/${bankId}/openapi.json` })
  expect(res.statusCode).toBe(200)
  return res.json()
}

describe('each bank has its own OpenAPI 3.1 document', () => {
  test.each([DPOP_BANK, MTLS_BANK])('%s: valid against the OpenAPI 3.1 schema', async (bankId) => {
    const result = await validate(await documentOf(bankId))
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true)
  })

  test('served at its base, with every API route and no {bank} segment', async () => {
    const document = await documentOf(DPOP_BANK)
    expect(document.openapi).toBe('3.1.0')
    expect(document.servers).toEqual([
      expect.objectContaining({ url: api.bankOf(DPOP_BANK).baseUrl }),
    ])
    const operations = Object.entries(document.paths as Record<string, object>).flatMap(
      ([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    )
    expect(operations.sort()).toEqual([
      'GET /accounts',
      'GET /accounts/{accountId}',
      'GET /accounts/{accountId}/balances',
      'GET /accounts/{accountId}/payees',
      'GET /accounts/{accountId}/transactions',
      'GET /payments/{paymentId}',
      'POST /payments',
    ])
    expect(JSON.stringify(document)).not.toContain('{bank}')
    expect(document.info.title).toBe(`${api.bankOf(DPOP_BANK).bank.name} APIs`)
  })

  test('inlines the spec-types schemas without their $ids and resolves every reference', async () => {
    const document = await documentOf(DPOP_BANK)
    // JSON Schema 2020-12: an $id may appear once per document; inlined copies must not carry one.
    expect(JSON.stringify(document)).not.toContain('"$id"')
    const schemas = Object.keys(document.components.schemas ?? {})
    const refs = [
      ...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g),
    ]
    for (const [, name] of refs) expect(schemas).toContain(name)
  })

  test('documents the security of the bank profile: DPoP, or a bearer token over mutual TLS', async () => {
    const dpop = await documentOf(DPOP_BANK)
    expect(Object.keys(dpop.components.securitySchemes)).toEqual(['DPoP'])
    expect(dpop.paths['/accounts'].get.security).toEqual([{ DPoP: [] }])
    const mtls = await documentOf(MTLS_BANK)
    expect(mtls.components.securitySchemes.mutualTLS.type).toBe('mutualTLS')
    expect(mtls.paths['/accounts'].get.security).toEqual([{ mutualTLS: [], bearer: [] }])
  })

  test('POST /payments names its Idempotency-Key, its body and its answers', async () => {
    const post = (await documentOf(DPOP_BANK)).paths['/payments'].post
    const headers = post.parameters.filter((p: { in: string }) => p.in === 'header')
    expect(headers.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['idempotency-key', 'x-fapi-interaction-id']),
    )
    expect(post.requestBody.content['application/json'].schema).toBeDefined()
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '4XX']))
  })
})

describe('Swagger UI', () => {
  test('serves its page and its local assets for each bank', async () => {
    const page = await api.app.inject({
      method: 'GET',
      url: `/${MTLS_BANK}/docs`,
    })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    const bundle = await api.app.inject({
      method: 'GET',
      url: `/${MTLS_BANK}/docs/static/swagger-ui-bundle.js`,
    })
    expect(bundle.statusCode).toBe(200)
    expect(bundle.headers['content-type']).toMatch(/javascript/)
    const spec = await api.app.inject({ method: 'GET', url: `/${MTLS_BANK}/docs/json` })
    expect(spec.json().servers[0].url).toBe(api.bankOf(MTLS_BANK).baseUrl)
  })

  test('an unknown bank has no docs: a 404 problem', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/nobank/docs' })
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})
