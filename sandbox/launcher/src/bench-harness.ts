/** Runs benchmark suites, collects their figures and renders them as a table. Never judges a time. */
import { arch, cpus, totalmem } from 'node:os'

export interface BenchFigure {
  name: string
  value: number
  unit: string
  detail?: string
}

export interface BenchContext {
  /** A scratch folder the suite may fill; removed by the caller afterwards. */
  tmpDir: string
  log: (line: string) => void
}

export interface Benchmark {
  name: string
  run(context: BenchContext): Promise<BenchFigure[]>
}

export interface BenchSuiteResult {
  suite: string
  seconds: number
  figures: BenchFigure[]
  error?: string
}

export interface BenchResults {
  startedAt: string
  machine: { node: string; cpus: number; cpuModel: string; arch: string; memoryGiB: number }
  suites: BenchSuiteResult[]
}

/** Runs each suite in turn; a suite that throws is reported with its error and the rest still run. */
export async function runSuites(
  suites: readonly Benchmark[],
  context: BenchContext,
  now: () => Date = () => new Date(),
): Promise<BenchResults> {
  const results: BenchResults = {
    startedAt: now().toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      arch: arch(),
      memoryGiB: Math.round(totalmem() / 2 ** 30),
    },
    suites: [],
  }
  for (const suite of suites) {
    context.log(`bench: ${suite.name}`)
    const start = performance.now()
    try {
      const figures = await suite.run(context)
      results.suites.push({ suite: suite.name, seconds: seconds(start), figures })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      context.log(`bench: ${suite.name} failed: ${message}`)
      results.suites.push({
        suite: suite.name,
        seconds: seconds(start),
        figures: [],
        error: message,
      })
    }
  }
  return results
}

function seconds(start: number): number {
  return Math.round(performance.now() - start) / 1000
}

function formatValue(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-GB')
  return value.toLocaleString('en-GB', { maximumFractionDigits: value < 10 ? 3 : 1 })
}

/** Renders the figures as an aligned plain-text table; details follow underneath. */
export function renderTable(results: BenchResults): string {
  const rows = [['suite', 'figure', 'value', 'unit']]
  const details: string[] = []
  for (const suite of results.suites) {
    if (suite.error) rows.push([suite.suite, 'FAILED', '-', suite.error])
    for (const figure of suite.figures) {
      rows.push([suite.suite, figure.name, formatValue(figure.value), figure.unit])
      if (figure.detail)
        details.push(`${suite.suite} / ${figure.name}:\n  ${figure.detail.replace(/\n/g, '\n  ')}`)
    }
  }
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? []
  const lines = rows.map((row) =>
    row
      .map((cell, column) =>
        column === 2 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  )
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '))
  const { machine } = results
  const header = `${results.startedAt} on ${machine.cpus} x ${machine.cpuModel}, node ${machine.node}`
  return [header, '', ...lines, ...(details.length ? ['', ...details] : [])].join('\n')
}
