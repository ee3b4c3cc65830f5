/**
 * The whole sandbox launched once for a test file, as the ecosystem tests use it: seed 42, five
 * customers a bank, ephemeral loopback ports, a fresh data folder removed afterwards. Call it at
 * the top of a file or of a `describe`; the values are there from the first test on.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SandboxServer } from '@sandbox/service-kit/server'
import { afterAll, beforeAll } from 'vitest'
import { launchSandbox, type RunningSandbox } from '../src/launch.js'
import { portsFor } from '../src/services.js'

export interface LaunchedSandbox {
  readonly sandbox: RunningSandbox
  readonly dataDir: string
  /** A listener's fastify instance, for `inject`. */
  server(name: string): SandboxServer
  /** A listener's public https origin. */
  url(name: string): string
}

export function useLaunchedSandbox(prefix: string): LaunchedSandbox {
  let dataDir: string | undefined
  let sandbox: RunningSandbox | undefined
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `${prefix}-`))
    sandbox = await launchSandbox({
      dataDir,
      host: '127.0.0.1',
      ports: portsFor(0),
      seed: 42,
      customersPerBank: 5,
      reset: false,
    })
  })
  afterAll(async () => {
    await sandbox?.close()
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true })
  })
  const launched = (): RunningSandbox => {
    if (sandbox === undefined) throw new Error('the sandbox is launched in beforeAll')
    return sandbox
  }
  return {
    get sandbox() {
      return launched()
    },
    get dataDir() {
      return dataDir ?? ''
    },
    server(name) {
      const server = launched().servers.get(name)
      if (server === undefined) throw new Error(`no ${name} listener`)
      return server
    },
    url(name) {
      const service = launched().services.find((candidate) => candidate.name === name)
      if (service === undefined) throw new Error(`no ${name} listener`)
      return service.url
    },
  }
}
