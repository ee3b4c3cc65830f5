/**
 * `npm run bench`: runs every benchmark the project has (or, given names, the suites whose names
 * contain them: `npm run bench -- "bank APIs"`), prints a table and writes the figures to
 * bench/results/latest.json (and a dated copy). Figures are reported, never asserted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runBenchmarks } from '@sandbox/launcher/bench'

const resultsDir = join(import.meta.dirname, '..', 'bench', 'results')
const tmpDir = mkdtempSync(join(tmpdir(), 'sandbox-bench-'))
try {
  const report = await runBenchmarks(
    { tmpDir, log: (line) => process.stderr.write(`${line}\n`) },
    process.argv.slice(2),
  )
  process.stdout.write(`${report.table}\n`)
  mkdirSync(resultsDir, { recursive: true })
  const json = `${JSON.stringify(report.results, null, 2)}\n`
  writeFileSync(join(resultsDir, 'latest.json'), json)
  writeFileSync(join(resultsDir, `${report.results.startedAt.replace(/[:.]/g, '-')}.json`), json)
  process.stdout.write(`\nwritten to ${join(resultsDir, 'latest.json')}\n`)
} finally {
  rmSync(tmpDir, { recursive: true, force: true })
}
