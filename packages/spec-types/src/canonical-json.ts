/**
 * One text per JSON value, whatever the member order: members sorted by name (UTF-16 code units,
 * as RFC 8785 section 3.2.3 sorts), `undefined` members dropped. For comparing and hashing
 * structured values such as authorization details and payment requests; number and string
 * forms are JSON.stringify's, which is all these values need.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
