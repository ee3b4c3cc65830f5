/** `npm start`: parse options, launch, print the summary, stop cleanly on Ctrl-C. */
import { BankOpConfigError } from '@sandbox/bank-op/config'
import { KeyFileError } from '@sandbox/bank-op/keys/key-file'
import { createProgressBar } from '@sandbox/seed/progress'
import { SeedOptionsError } from '@sandbox/seed/seed-sandbox'
import { MigrationError } from '@sandbox/store/migrations'
import { seedIfNeeded } from './data.js'
import { LaunchError } from './errors.js'
import { ensureWritableDir, launchSandbox } from './launch.js'
import {
  parseStartOptions,
  SEED_USAGE_FULL,
  type StartOptions,
  USAGE,
  UsageError,
} from './options.js'
import { portsFor } from './services.js'
import { renderSummary } from './summary.js'

export interface CliIo {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WriteStream
}

/** Parses argv, or explains the mistake in one line and returns the exit code to end with. */
function parseOrExplain(argv: readonly string[], command: 'start' | 'seed', io: CliIo) {
  try {
    const options = parseStartOptions(argv, process.cwd(), command)
    if (!options.help) return { options }
    io.stdout.write(`${command === 'start' ? USAGE : SEED_USAGE_FULL}\n`)
    return { code: 0 }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`error: ${error.message}\n`)
    return { code: 2 }
  }
}

/** Problems the user can fix read as one line; anything else is a bug and keeps its stack. */
function explain(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const known =
    error instanceof LaunchError ||
    error instanceof SeedOptionsError ||
    error instanceof MigrationError ||
    error instanceof KeyFileError ||
    error instanceof BankOpConfigError
  return known ? error.message : (error.stack ?? error.message)
}

/** `npm run seed`: (re)seeds the data folder without starting any service. */
export async function runSeedCli(argv: readonly string[], io: CliIo = process): Promise<number> {
  const parsed = parseOrExplain(argv, 'seed', io)
  if (!parsed.options) return parsed.code
  const options: StartOptions = { ...parsed.options, reset: true }
  const progress = createProgressBar({ stream: io.stderr })
  try {
    ensureWritableDir(options.dataDir)
    await seedIfNeeded({ ...options, onSeedProgress: progress.onProgress }, (line) => {
      progress.stop()
      io.stdout.write(`${line}\n`)
    })
    return 0
  } catch (error) {
    progress.stop()
    io.stderr.write(`error: ${explain(error)}\n`)
    return 1
  }
}

/** Runs the launcher; resolves with the exit code for errors, or stays running until a signal. */
export async function runStartCli(argv: readonly string[], io: CliIo = process): Promise<number> {
  const parsed = parseOrExplain(argv, 'start', io)
  if (!parsed.options) return parsed.code
  const options = parsed.options

  const progress = createProgressBar({ stream: io.stderr })
  let sandbox: Awaited<ReturnType<typeof launchSandbox>>
  try {
    sandbox = await launchSandbox({
      ...options,
      ports: portsFor(options.basePort),
      onSeedProgress: progress.onProgress,
      log: (line) => io.stderr.write(`${line}\n`),
    })
  } catch (error) {
    progress.stop()
    io.stderr.write(`error: ${explain(error)}\n`)
    return 1
  } finally {
    progress.stop()
  }
  io.stdout.write(`${renderSummary(sandbox)}\n`)

  return new Promise<number>((resolve) => {
    let stopping = false
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        io.stderr.write(`\n${signal} again: exiting without waiting\n`)
        process.exit(130)
      }
      stopping = true
      io.stderr.write(`\n${signal}: stopping services and closing databases...\n`)
      sandbox.close().then(
        () => {
          io.stderr.write('stopped cleanly\n')
          resolve(0)
        },
        (error: unknown) => {
          io.stderr.write(`error while stopping: ${String(error)}\n`)
          resolve(1)
        },
      )
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
