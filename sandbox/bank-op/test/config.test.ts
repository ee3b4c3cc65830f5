import { describe, expect, test } from 'vitest'
import { BankOpConfigError, validateBankOpConfig } from '../src/config.js'
import { PUBLIC_BASE_URL, RESOURCE_BASE_URL } from './helpers.js'

const valid = {
  tenants: [],
  publicBaseUrl: PUBLIC_BASE_URL,
  resourceBaseUrl: RESOURCE_BASE_URL,
  keysDir: '/tmp/keys',
}

describe('validateBankOpConfig', () => {
  test('accepts https origins', () => {
    expect(validateBankOpConfig({ ...valid, mtlsBaseUrl: 'https://localhost:4002' })).toBeTruthy()
  })

  test.each([
    ['publicBaseUrl', 'http://localhost:4001', /https/],
    ['publicBaseUrl', 'https://localhost:4001/', /trailing slash/],
    ['publicBaseUrl', 'https://localhost:4001/op', /origin/],
    ['publicBaseUrl', 'localhost:4001', /./],
    ['mtlsBaseUrl', 'https://localhost:4002?x=1', /origin/],
    ['mtlsBaseUrl', PUBLIC_BASE_URL, /differ/],
  ])('refuses %s = %s, naming the field', (field, value, reason) => {
    const run = () => validateBankOpConfig({ ...valid, [field]: value })
    expect(run).toThrow(BankOpConfigError)
    expect(run).toThrow(field)
    expect(run).toThrow(reason)
  })

  test.each([
    ['missing while TLS and the mTLS listener are configured', undefined, /RFC 8705/],
    ['not PEM', 'not a certificate', /PEM/],
  ])('refuses clientCa %s, naming the field', (_name, clientCa, reason) => {
    const run = () =>
      validateBankOpConfig({
        ...valid,
        mtlsBaseUrl: 'https://localhost:4002',
        tls: { cert: 'server certificate', key: 'server key' },
        clientCa,
      })
    expect(run).toThrow(BankOpConfigError)
    expect(run).toThrow('clientCa')
    expect(run).toThrow(reason)
  })
})
