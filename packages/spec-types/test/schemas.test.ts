/// <reference types="vite/client" />
/**
 * Every exported schema is plain JSON Schema that fastify can use: named by its `$id`, compiled
 * by Ajv as @fastify/ajv-compiler configures it, registrable side by side (fastify.addSchema and
 * the OpenAPI generator), and compiled by fast-json-stringify for responses.
 */
import fastJson from 'fast-json-stringify'
import { IsSchema, type TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { describe, expect, test } from 'vitest'
import { createAjv, FASTIFY_AJV_OPTIONS } from './support/validate.js'

const modules = import.meta.glob<Record<string, unknown>>('../src/**/*.ts', { eager: true })

const schemas: [string, TSchema][] = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports)
    .filter(([name, value]) => name.endsWith('Schema') && IsSchema(value))
    .map(([name, value]): [string, TSchema] => [
      `${file.replace('../src/', '')} ${name}`,
      value as TSchema,
    ]),
)

describe('every exported schema', () => {
  test('was found (sanity)', () => {
    expect(schemas.length).toBeGreaterThan(60)
  })

  test.each(schemas)('%s has $id equal to its type name', (label, schema) => {
    const name = label.split(' ')[1]?.replace(/Schema$/, '')
    expect((schema as { $id?: unknown }).$id).toBe(name)
  })

  test.each(schemas)(
    '%s survives a JSON round trip unchanged (no TypeBox-only kinds)',
    (_, schema) => {
      const json = JSON.parse(JSON.stringify(schema))
      expect(json).toEqual({ ...schema })
      expect(JSON.stringify(schema)).not.toMatch(/"~/)
    },
  )

  test.each(schemas)('%s compiles in a fresh strict Ajv and in TypeBox', (_, schema) => {
    expect(() => createAjv({ strict: true }).compile(schema)).not.toThrow()
    expect(() => Compile(schema)).not.toThrow()
  })

  test('all compile in one Ajv the way @fastify/ajv-compiler does (getSchema, then compile)', () => {
    const ajv = createAjv(FASTIFY_AJV_OPTIONS)
    for (const [label, schema] of [...schemas, ...[...schemas].reverse()]) {
      const id = (schema as { $id?: string }).$id
      const compile = () => (id && ajv.getSchema(id)) || ajv.compile(schema)
      expect(compile, label).not.toThrow()
    }
  })

  test('all can be registered side by side with addSchema (no clashing ids)', () => {
    const ajv = createAjv(FASTIFY_AJV_OPTIONS)
    for (const [, schema] of schemas) ajv.addSchema(schema)
    for (const [label, schema] of schemas) {
      expect(ajv.getSchema((schema as { $id: string }).$id), label).toBeTypeOf('function')
    }
  })

  test.each(schemas)('%s compiles in fast-json-stringify (response serialization)', (_, schema) => {
    expect(() => fastJson(schema as Parameters<typeof fastJson>[0])).not.toThrow()
  })
})
