import { describe, expect, it } from 'vitest'
import { buildName, formatDistinguishedName } from '../src/distinguished-name.js'
import { x509 } from '../src/x509.js'

describe('formatDistinguishedName (RFC 4514)', () => {
  it('writes RDNs in reverse ASN.1 order joined by commas (RFC 4514 2.1)', () => {
    const name = buildName({
      commonName: 'demo-fintech',
      organization: 'Demo Fintech Ltd',
      country: 'GB',
    })
    expect(name.toJSON().map((rdn) => Object.keys(rdn)[0])).toEqual(['C', 'O', 'CN'])
    expect(formatDistinguishedName(name)).toBe('CN=demo-fintech,O=Demo Fintech Ltd,C=GB')
  })

  it('joins a multi-valued RDN with + (RFC 4514 2.2)', () => {
    const name = new x509.Name([{ C: ['GB'] }, { CN: ['a'], OU: ['b'] }])
    expect(formatDistinguishedName(name)).toBe('CN=a+OU=b,C=GB')
  })

  it('escapes special characters, a leading space or # and a trailing space (RFC 4514 2.4)', () => {
    const format = (commonName: string) => formatDistinguishedName(buildName({ commonName }))
    expect(format('a,b+c"d\\e<f>g;h')).toBe('CN=a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h')
    expect(format(' lead')).toBe('CN=\\ lead')
    expect(format('#hash')).toBe('CN=\\#hash')
    expect(format('trail ')).toBe('CN=trail\\ ')
    expect(format('Zoë Ltd')).toBe('CN=Zoë Ltd')
  })
})
