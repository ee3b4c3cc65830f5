import { expect, test } from 'vitest'
import { rules } from '../../src/errors/rules.js'

type Glob = (
  pattern: string,
  options: { query: string; import: string; eager: true },
) => Record<string, string>
const sources = (import.meta as unknown as { glob: Glob }).glob('../**/*.test.ts', {
  query: '?raw',
  import: 'default',
  eager: true,
})

test('every rule in the registry has a negative test asserting it', () => {
  const asserted = new Set<string>()
  for (const text of Object.values(sources)) {
    for (const match of text.matchAll(/expectRule\([\s\S]*?rules\.(\w+)/g)) {
      if (match[1] !== undefined) asserted.add(match[1])
    }
  }
  const missing = Object.keys(rules).filter((name) => !asserted.has(name))
  expect(missing).toEqual([])
})
