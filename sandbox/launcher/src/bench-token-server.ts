/**
 * The sandbox the token endpoint benchmark measures, in a process of its own as `npm start` runs
 * it (the same heap setting), so the server and the load generator share the machine's cores the
 * way two machines would not, but never an event loop or a thread pool. Started with
 * `child_process.fork` over the data folder named by the first argument; it answers over the IPC
 * channel: where bank-op listens, the benchmark client registered, and the CPU time it spent.
 */
import type { Bank } from '@sandbox/spec-types/banking/bank'
import { bankRepositories } from '@sandbox/store/bank-database'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import { launchSandbox } from './launch.js'
import { portsFor } from './services.js'

/** What the benchmark asks. */
export type TokenServerRequest =
  | { type: 'register'; clientId: string; metadata: ClientRecord['metadata'] }
  | { type: 'mark-cpu' }
  | { type: 'read-cpu' }
  | { type: 'close' }

/** What the server answers. */
export type TokenServerMessage =
  | { type: 'ready'; bankOpUrl: string; caPem: string; bankId: string }
  | { type: 'registered' }
  | { type: 'cpu'; milliseconds: number }
  | { type: 'failed'; message: string }

/** DPoP and private_key_jwt without server nonces, one request per token (aurora in the seed). */
function isMeasuredBank({ profile }: Bank): boolean {
  return (
    profile.senderConstraint === 'dpop' &&
    profile.clientAuth === 'private_key_jwt' &&
    !profile.dpopNonceRequired
  )
}

function send(message: TokenServerMessage): void {
  process.send?.(message)
}

const dataDir = process.argv[2]
if (dataDir === undefined || process.send === undefined) {
  throw new Error('start this module with child_process.fork and a data folder argument')
}

try {
  const sandbox = await launchSandbox({
    dataDir,
    host: '127.0.0.1',
    ports: portsFor(0),
    seed: 42,
    customersPerBank: 5,
    reset: false,
  })
  const bankOp = sandbox.services.find(({ name }) => name === 'bank-op')
  const measured = sandbox.banks.find(({ bank }) => isMeasuredBank(bank))
  if (bankOp === undefined) throw new Error('bank-op did not start')
  if (measured === undefined) throw new Error('the seed has no DPoP bank without nonces')
  let mark = process.cpuUsage()
  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= sandbox.close().finally(() => process.disconnect?.())
    return closing
  }
  process.on('message', (request: TokenServerRequest) => {
    switch (request.type) {
      case 'register': {
        const now = Math.floor(Date.now() / 1000)
        bankRepositories(measured.db)
          .clients.upsert({
            clientId: request.clientId,
            metadata: request.metadata,
            createdAt: now,
            updatedAt: now,
          })
          .then(
            () => send({ type: 'registered' }),
            (error: unknown) => send({ type: 'failed', message: String(error) }),
          )
        break
      }
      case 'mark-cpu':
        mark = process.cpuUsage()
        break
      case 'read-cpu': {
        // Every thread of this process: the event loop, the thread pool's WebCrypto work, GC.
        const { user, system } = process.cpuUsage(mark)
        send({ type: 'cpu', milliseconds: (user + system) / 1000 })
        break
      }
      case 'close':
        void close()
        break
    }
  })
  // The benchmark went away without asking: nothing else would stop the listeners.
  process.on('disconnect', () => void close())
  send({
    type: 'ready',
    bankOpUrl: bankOp.url,
    caPem: sandbox.pki.ca.certPem,
    bankId: measured.bank.id,
  })
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
  process.disconnect?.()
}
