import { describe, expect, it } from 'vitest'
import '../src/reflect-metadata-shim.js'

type Metadata = {
  defineMetadata(key: unknown, value: unknown, target: object, property?: string): void
  getMetadata(key: unknown, target: object, property?: string): unknown
  getOwnMetadata(key: unknown, target: object, property?: string): unknown
  hasMetadata(key: unknown, target: object, property?: string): boolean
}
const reflect = Reflect as unknown as Metadata

describe('Reflect metadata shim (what tsyringe needs to load @peculiar/x509)', () => {
  it('stores metadata per target and property and finds it through the prototype chain', () => {
    class Base {}
    class Derived extends Base {}
    reflect.defineMetadata('token', 'base', Base)
    reflect.defineMetadata('token', 'method', Base.prototype, 'sign')
    expect(reflect.getOwnMetadata('token', Base)).toBe('base')
    expect(reflect.getOwnMetadata('token', Derived)).toBeUndefined()
    expect(reflect.getMetadata('token', Derived)).toBe('base')
    expect(reflect.hasMetadata('token', Derived)).toBe(true)
    expect(reflect.getMetadata('token', new Derived(), 'sign')).toBe('method')
    expect(reflect.getMetadata('other', Derived)).toBeUndefined()
  })
})
