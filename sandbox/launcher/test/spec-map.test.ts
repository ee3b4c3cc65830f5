import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { buildSpecMap, RULE_REGISTRIES, readSources, renderSpecMap } from '../src/spec-map.js'

const root = join(import.meta.dirname, '..', '..', '..')

test('every rule in the registries has a test that asserts it', () => {
  const { untested } = buildSpecMap(RULE_REGISTRIES, readSources(root))
  expect(untested).toEqual([])
})

test('docs/spec-map.md is in sync with the rules and their tests (npm run spec-map)', () => {
  const expected = renderSpecMap(RULE_REGISTRIES, readSources(root))
  expect(readFileSync(join(root, 'docs', 'spec-map.md'), 'utf8')).toBe(expected)
})

test('a rule without a test is reported, a row cited in a test title is mapped', () => {
  const registry = {
    name: 'demoRules',
    rules: {
      covered: {
        id: 'AS-PAR-06',
        error: 'invalid_request',
        status: 400,
        clause: { spec: 'FAPI 2.0 SP', section: '5.3.2.2', item: 6 },
        summary: 'redirect_uri is required',
        redirectable: false,
      },
      forgotten: {
        id: 'AS-PAR-99',
        error: 'invalid_request',
        status: 400,
        clause: { spec: 'RFC 9126', section: '2.1' },
        summary: 'never tested',
        redirectable: false,
      },
    },
  } as const
  const files = [
    { path: 'x/src/par.ts', text: 'throw new OAuthError(demoRules.covered)' },
    {
      path: 'x/test/par.test.ts',
      text: "test('pushes (AS-MD-02)', () => expect(demoRules.covered))",
    },
  ]
  const { rows, untested } = buildSpecMap([registry], files)
  expect(untested).toEqual(['demoRules.forgotten'])
  expect(rows.map((row) => row.id)).toEqual(['AS-MD-02', 'AS-PAR-06', 'AS-PAR-99'])
  expect(rows[1]?.enforcedIn).toEqual(new Set(['x/src/par.ts']))
  expect(rows[0]?.testedIn).toEqual(new Set(['x/test/par.test.ts']))
})
