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
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bank} [{bar}] {value}/{total} customers | {transactions} transactions',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  )
  let current: string | undefined
  return {
    onProgress(progress) {
      if (progress.bankId !== current) {
        if (current !== undefined) bar.stop()
        current = progress.bankId
        bar.start(progress.customersTotal, 0, {
          bank: progress.bankName.padEnd(16),
          transactions: 0,
        })
      }
      bar.update(progress.customersDone, {
        transactions: progress.transactions.toLocaleString('en'),
      })
    },
    stop() {
      if (current !== undefined) bar.stop()
    },
  }
}
