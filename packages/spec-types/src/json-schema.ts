/**
 * Helpers that keep every schema in this package plain JSON Schema (draft 2020-12 keywords Ajv
 * compiles), so fastify, the fintech and the OpenAPI generator read the same object.
 */
import Type, {
  type Static,
  type TObject,
  type TSchema,
  type TSchemaOptions,
  type TUnsafe,
} from 'typebox'

/**
 * A copy of `schema` without its `$id`, for use inside another schema.
 *
 * Exported schemas carry `$id` so fastify and the OpenAPI generator can name them. Embedding the
 * same `$id` in many documents makes Ajv and fast-json-stringify register it once per document;
 * equal copies are tolerated but any variant a consumer derives (Partial, Pick) would then clash.
 * Embedding id-less copies removes that hazard at the cost of inlining.
 */
export function embed<T extends TSchema>(schema: T): T {
  const copy = Object.create(
    Object.getPrototypeOf(schema),
    Object.getOwnPropertyDescriptors(schema),
  ) as T & { $id?: string }
  delete copy.$id
  return copy
}

/** A string from a closed set, emitted as `{ type: 'string', enum: [...] }`. */
export function StringEnum<const Values extends readonly string[]>(
  values: Values,
  options: TSchemaOptions = {},
): TUnsafe<Values[number]> {
  return Type.Unsafe<Values[number]>({ ...options, type: 'string', enum: [...values] } as TSchema)
}

/** An absolute `https` URL (FAPI 2.0 SP 5.2.1-1: TLS everywhere). */
export function HttpsUrl(options: TSchemaOptions = {}) {
  return Type.String({ format: 'uri', pattern: '^https://[^\\s]+$', ...options })
}

/** An RFC 3339 date-time with offset (`2025-01-31T09:30:00Z`). */
export function DateTime(options: TSchemaOptions = {}) {
  return Type.String({ format: 'date-time', ...options })
}

/** An RFC 3339 full-date (`2025-01-31`). */
export function FullDate(options: TSchemaOptions = {}) {
  return Type.String({ format: 'date', ...options })
}

function discriminatorOf(variant: TObject, key: string): string {
  const property = variant.properties[key] as { const?: unknown } | undefined
  if (typeof property?.const !== 'string') {
    throw new TypeError(`variant has no string const for discriminator '${key}'`)
  }
  return property.const
}

/**
 * A union of object schemas told apart by a string constant member (`type`, `grant_type`, `scheme`).
 *
 * Emitted as an `if`/`then`/`else` chain rather than `anyOf`: fastify runs Ajv with
 * `removeAdditional: true`, which strips members while trying each `anyOf` branch and so corrupts
 * the data before the matching branch is reached. With the chain only the selected branch's
 * `additionalProperties: false` applies. An unknown discriminator fails the `enum`.
 */
export function DiscriminatedUnion<const Variants extends readonly TObject[]>(
  key: string,
  variants: Variants,
  options: TSchemaOptions = {},
): TUnsafe<Static<Variants[number]>> {
  const values = variants.map((variant) => discriminatorOf(variant, key))
  const last = variants.at(-1)
  if (last === undefined) throw new TypeError('a discriminated union needs at least one variant')
  let chain: object = embed(last)
  for (let index = variants.length - 2; index >= 0; index--) {
    const variant = variants[index] as TObject
    chain = {
      if: { type: 'object', required: [key], properties: { [key]: { const: values[index] } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema if/then keyword, not a promise
      then: embed(variant),
      else: chain,
    }
  }
  return Type.Unsafe<Static<Variants[number]>>({
    ...options,
    type: 'object',
    required: [key],
    properties: { [key]: { type: 'string', enum: values } },
    ...chain,
  } as TSchema)
}
