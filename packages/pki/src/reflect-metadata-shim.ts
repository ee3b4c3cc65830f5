/**
 * The subset of the Reflect metadata API that tsyringe (a dependency of @peculiar/x509) checks for
 * at load time, installed only when no `reflect-metadata` polyfill is present.
 *
 * @peculiar/x509 never reads constructor parameter metadata back (it registers its services by
 * token), so a small map per target suffices; a real `reflect-metadata` loaded first wins.
 */

type MetadataKey = unknown
type PropertyKey = string | symbol | undefined
type MetadataTable = Map<PropertyKey, Map<MetadataKey, unknown>>

interface ReflectMetadata {
  getMetadata?: unknown
  getOwnMetadata?: unknown
  hasMetadata?: unknown
  hasOwnMetadata?: unknown
  defineMetadata?: unknown
  metadata?: unknown
}

const reflect = Reflect as unknown as ReflectMetadata

if (typeof reflect.getMetadata !== 'function') {
  const tables = new WeakMap<object, MetadataTable>()

  const ownTable = (target: object, propertyKey: PropertyKey, create: boolean) => {
    let table = tables.get(target)
    if (table === undefined) {
      if (!create) return undefined
      table = new Map()
      tables.set(target, table)
    }
    let entries = table.get(propertyKey)
    if (entries === undefined && create) {
      entries = new Map()
      table.set(propertyKey, entries)
    }
    return entries
  }

  const getOwnMetadata = (key: MetadataKey, target: object, propertyKey?: PropertyKey) =>
    ownTable(target, propertyKey, false)?.get(key)

  const hasOwnMetadata = (key: MetadataKey, target: object, propertyKey?: PropertyKey) =>
    ownTable(target, propertyKey, false)?.has(key) ?? false

  const findOwner = (key: MetadataKey, target: object, propertyKey?: PropertyKey) => {
    for (let o: object | null = target; o !== null; o = Object.getPrototypeOf(o)) {
      if (hasOwnMetadata(key, o, propertyKey)) return o
    }
    return undefined
  }

  const defineMetadata = (
    key: MetadataKey,
    value: unknown,
    target: object,
    propertyKey?: PropertyKey,
  ) => {
    ownTable(target, propertyKey, true)?.set(key, value)
  }

  Object.assign(reflect, {
    getOwnMetadata,
    hasOwnMetadata,
    defineMetadata,
    getMetadata: (key: MetadataKey, target: object, propertyKey?: PropertyKey) => {
      const owner = findOwner(key, target, propertyKey)
      return owner === undefined ? undefined : getOwnMetadata(key, owner, propertyKey)
    },
    hasMetadata: (key: MetadataKey, target: object, propertyKey?: PropertyKey) =>
      findOwner(key, target, propertyKey) !== undefined,
    metadata:
      (key: MetadataKey, value: unknown) =>
      (target: object, propertyKey?: PropertyKey): void =>
        defineMetadata(key, value, target, propertyKey),
  })
}
