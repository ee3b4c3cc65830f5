/** A terminal progress bar for long seeds, fed by `onProgress` so the library itself stays quiet. */
import cliProgress from 'cli-progress'
import type { SeedProgress } from './seed-bank.js'

export interface ProgressBar {
  onProgress: (progress: SeedProgress) => void
  stop: () => void
}

/**
 * A bar on `stream` (stderr by default) that shows the bank being seeded, customers done and
 * transactions written. Draws only when the stream is a terminal, unless `force` is set.
 */
export function createProgressBar(
  options: { stream?: NodeJS.WriteStream; force?: boolean } = {},
): ProgressBar {
  const stream = options.stream ?? process.stderr
  if (!stream.isTTY && options.force !== true)
    return { onProgress: () => undefined, stop: () => undefined }
  // Banks seed side by side, so each gets its own line.
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: '{bank} [{bar}] {value}/{total} customers | {transactions} transactions',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  )
  const byBank = new Map<string, cliProgress.SingleBar>()
  return {
    onProgress(progress) {
      let bar = byBank.get(progress.bankId)
      if (bar === undefined) {
        bar = bars.create(progress.customersTotal, 0, {
          bank: progress.bankName.padEnd(16),
          transactions: '0',
        })
        byBank.set(progress.bankId, bar)
      }
      bar.update(progress.customersDone, {
        transactions: progress.transactions.toLocaleString('en'),
      })
    },
    stop() {
      if (byBank.size > 0) bars.stop()
    },
  }
}
