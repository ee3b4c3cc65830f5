/**
 * docs/spec-map.md, generated: for each row of the FAPI 2.0 requirements yardstick the code
 * enforces or a test names, the clause, the code that enforces it and the tests that prove it
 * (DESIGN: the spec map maps each rule ID to the code and the test; STYLE 7.7: docs are
 * generated and CI fails when they drift).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { apiRules } from '@sandbox/bank-api/rules'
import { bankOpRuleRegistries } from '@sandbox/bank-op/rules/registry'
import { cite } from '@sandbox/fapi/errors/describe'
import type { Rule } from '@sandbox/fapi/errors/oauth-error'
import { rules as kitRules } from '@sandbox/fapi/errors/rules'
import { fintechRules } from '@sandbox/fintech/rules'

/** A registry object by the name code refers to it with (`rules.pkceS256`, `parRules.redirectUriHttps`). */
export interface RuleRegistry {
  name: string
  rules: Readonly<Record<string, MappedRule>>
}

/** What the map shows of a rule: the kit's OAuth rules and the APIs' problem rules both fit. */
export type MappedRule = Pick<Rule, 'id' | 'status' | 'clause' | 'summary' | 'related'> & {
  error?: string
  title?: string
}

export const RULE_REGISTRIES: readonly RuleRegistry[] = [
  { name: 'rules', rules: kitRules },
  ...Object.entries(bankOpRuleRegistries).map(([name, registered]) => ({
    name,
    rules: registered,
  })),
  { name: 'apiRules', rules: apiRules },
  { name: 'fintechRules', rules: fintechRules },
]

/** Folders (from the repository root) whose sources and tests the map reads. */
export const SCANNED_FOLDERS = [
  'packages/fapi',
  'sandbox/bank-op',
  'sandbox/bank-api',
  'sandbox/fintech',
] as const

/** Folders whose tests only the map reads: the ecosystem tests prove rules across services. */
export const SCANNED_TEST_FOLDERS = ['sandbox/launcher'] as const

export interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  path: string
  text: string
}

/** Families in the yardstick's order; rows of other families follow alphabetically. */
const FAMILY_ORDER = [
  'AS-MD',
  'AS-TLS',
  'AS-CA',
  'AS-PAR',
  'AS-AZ',
  'AS-RTY',
  'AS-RU',
  'AS-ISS',
  'AS-TOK',
  'AS-CODE',
  'AS-SC',
  'AS-RT',
  'AS-ALG',
  'AS-CLK',
  'RS',
  'CL',
  'MS-JAR',
  'MS-JARM',
  'MS-JIR',
  'MS-HSIG',
  'RAR',
  'GM',
  'DCR',
]

const ROW_ID = /\b((?:AS|RS|CL|MS|RAR|GM|DCR)(?:-[A-Z]+)*-\d{2,})\b/g

/** A string literal opening a call, e.g. a test title: `test('PAR rejects plain (AS-PAR-07)'`. */
const TITLE = /\(\s*(['"`])([^'"`\n]*\b(?:AS|RS|CL|MS|RAR|GM|DCR)(?:-[A-Z]+)*-\d{2,}[^'"`\n]*)\1/g

const isTest = (path: string) => /\/test\/.*\.test\.ts$/.test(path)
const isSource = (path: string) =>
  /\/src\/.*\.ts$/.test(path) && !/\/src\/(errors\/)?rules(\/|\.ts)/.test(path)

/** Reads the `.ts` files under `src/` and `test/` of the scanned folders. */
export function readSources(
  root: string,
  folders: readonly string[] = SCANNED_FOLDERS,
  testFolders: readonly string[] = SCANNED_TEST_FOLDERS,
): SourceFile[] {
  const files: SourceFile[] = []
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name.endsWith('.ts')) {
        files.push({
          path: relative(root, full).split('\\').join('/'),
          text: readFileSync(full, 'utf8'),
        })
      }
    }
  }
  for (const folder of folders) for (const part of ['src', 'test']) walk(join(root, folder, part))
  for (const folder of testFolders) walk(join(root, folder, 'test'))
  return files.sort((a, b) => a.path.localeCompare(b.path))
}

interface Row {
  id: string
  rules: { reference: string; rule: MappedRule }[]
  enforcedIn: Set<string>
  testedIn: Set<string>
}

function familyRank(id: string): [number, string] {
  const family = id.replace(/-\d+$/, '')
  const index = FAMILY_ORDER.indexOf(family)
  return [index < 0 ? FAMILY_ORDER.length : index, id]
}

function compareIds(a: string, b: string): number {
  const [ra, ia] = familyRank(a)
  const [rb, ib] = familyRank(b)
  return ra - rb || ia.localeCompare(ib, 'en', { numeric: true })
}

/** Which code enforces and which tests prove each rule object, and which rows tests cite. */
export function buildSpecMap(registries: readonly RuleRegistry[], files: readonly SourceFile[]) {
  const rows = new Map<string, Row>()
  const row = (id: string) => {
    let found = rows.get(id)
    if (found === undefined) {
      found = { id, rules: [], enforcedIn: new Set(), testedIn: new Set() }
      rows.set(id, found)
    }
    return found
  }
  const untested: string[] = []
  for (const registry of registries) {
    for (const [name, rule] of Object.entries(registry.rules)) {
      const reference = `${registry.name}.${name}`
      const pattern = new RegExp(`\\b${registry.name}\\.${name}\\b`)
      const target = row(rule.id)
      target.rules.push({ reference, rule })
      let tested = false
      for (const file of files) {
        if (!pattern.test(file.text)) continue
        if (isTest(file.path)) {
          target.testedIn.add(file.path)
          tested = true
        } else if (isSource(file.path)) target.enforcedIn.add(file.path)
      }
      if (!tested) untested.push(reference)
      for (const related of rule.related ?? []) row(related).rules.push({ reference, rule })
    }
  }
  for (const file of files) {
    if (!isTest(file.path)) continue
    for (const match of file.text.matchAll(TITLE)) {
      for (const id of (match[2] ?? '').matchAll(ROW_ID)) {
        if (id[1] !== undefined) row(id[1]).testedIn.add(file.path)
      }
    }
  }
  return { rows: [...rows.values()].sort((a, b) => compareIds(a.id, b.id)), untested }
}

const cell = (values: Iterable<string>) =>
  [...values].map((value) => `\`${value}\``).join('<br>') || '—'

/** The markdown document. */
export function renderSpecMap(
  registries: readonly RuleRegistry[],
  files: readonly SourceFile[],
): string {
  const { rows } = buildSpecMap(registries, files)
  const lines = [
    '# Spec map',
    '',
    'Generated by `npm run spec-map` from the rules registries (`packages/fapi/src/errors/rules.ts`,',
    '`sandbox/bank-op/src/rules/`, `sandbox/bank-api/src/rules.ts`, `sandbox/fintech/src/rules.ts`) and the sources and tests that',
    'refer to them; a test fails when this file is out of date. Row ids are those of the FAPI 2.0',
    'requirements yardstick (`shared/fapi2-requirements.md`); `RS-API-…` rows are the sandbox API',
    'policies of docs/bank-api.md. A row lists the rules (registry objects) that enforce it, the',
    'error each answers, the clause it cites, the code that throws it and the tests that assert it',
    '(by rule object, or by citing the row id in a test title).',
    '',
    '| Row | Rule | Error | Clause | Enforced in | Proven by |',
    '| --- | --- | --- | --- | --- | --- |',
  ]
  for (const entry of rows) {
    const summaries = entry.rules.map(
      ({ reference, rule }) => `\`${reference}\`: ${rule.summary.replaceAll('|', '\\|')}`,
    )
    const errors = new Set(
      entry.rules.map(({ rule }) => `${rule.status} ${rule.error ?? rule.title ?? ''}`.trim()),
    )
    const clauses = new Set(entry.rules.map(({ rule }) => cite(rule.clause)))
    lines.push(
      `| ${entry.id} | ${summaries.join('<br>') || '(behaviour, no rejection)'} | ${[...errors].join('<br>') || '—'} | ${[...clauses].join('<br>') || '—'} | ${cell(entry.enforcedIn)} | ${cell(entry.testedIn)} |`,
    )
  }
  return `${lines.join('\n')}\n`
}
