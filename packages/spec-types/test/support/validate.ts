/** Test helpers: every example is checked by TypeBox's compiler and by Ajv, and both must agree. */
import { Ajv, type Options } from 'ajv'
import formatsModule from 'ajv-formats'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { expect } from 'vitest'

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ??
  formatsModule) as unknown as (ajv: Ajv) => Ajv

/** The options @fastify/ajv-compiler 4 applies (lib/default-ajv-options.js), plus ajv-formats. */
export const FASTIFY_AJV_OPTIONS: Options = {
  coerceTypes: 'array',
  useDefaults: true,
  removeAdditional: true,
  addUsedSchema: false,
  allErrors: false,
}

export function createAjv(options: Options = {}): Ajv {
  return addFormats(new Ajv({ strictTypes: true, ...options }))
}

/** A strict Ajv that rejects (rather than strips) extra members, for agreement with TypeBox. */
const strictAjv = createAjv({ allErrors: true })

function clone<T>(value: T): T {
  return structuredClone(value)
}

export function expectValid(schema: TSchema, value: unknown): void {
  const typebox = Compile(schema)
  expect([...typebox.Errors(value)], 'typebox errors').toEqual([])
  const ajv = strictAjv.compile(schema)
  expect(ajv(clone(value)), JSON.stringify(ajv.errors)).toBe(true)
}

export function expectInvalid(schema: TSchema, value: unknown): void {
  expect(Compile(schema).Check(value), 'typebox accepted it').toBe(false)
  expect(strictAjv.compile(schema)(clone(value)), 'ajv accepted it').toBe(false)
}
