/**
 * The sandbox console: stores every service's trace events (bounded), serves the live flow
 * inspector and the ecosystem at a glance, and its pages (vite, `dist/web`).
 */

import fastifyStatic from '@fastify/static'
import { healthPlugin } from '@sandbox/service-kit/health'
import { createServer, type SandboxServer, type ServiceTls } from '@sandbox/service-kit/server'
import { type BankTenant, bankDatabaseProbes } from '@sandbox/service-kit/tenant'
import type { TraceBus } from '@sandbox/service-kit/trace-bus'
import { redactEvent } from './redact.js'
import { type EcosystemLinks, ecosystemRoutes } from './routes/ecosystem.js'
import { flowRoutes } from './routes/flows.js'
import { openTraceStore, type TraceStore } from './trace-store.js'

export const SERVICE_NAME = 'console' as const

export interface ConsoleConfig {
  tenants: readonly BankTenant[]
  /** The console's SQLite file for trace events. */
  traceFile: string
  /** How many flows to keep (the oldest go first). */
  maxFlows?: number | undefined
  links: EcosystemLinks
  tls?: ServiceTls | undefined
  /** The built pages (`dist/web`); not served when absent. */
  webRoot?: string | undefined
}

export interface ConsoleDeps {
  /** The sandbox's trace bus: every event on it is stored. */
  trace: TraceBus
  now?: (() => Date) | undefined
}

export interface SandboxConsole {
  app: SandboxServer
  store: TraceStore
}

/** Scripts, styles and connections (the live stream) from this origin only. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

export async function buildConsole(
  config: ConsoleConfig,
  deps: ConsoleDeps,
): Promise<SandboxConsole> {
  const now = deps.now ?? (() => new Date())
  const store = await openTraceStore(config.traceFile, { maxFlows: config.maxFlows })
  // Events emitted before the console existed (start-up) are caught up, then every later one.
  for (const event of deps.trace.recent()) store.record(redactEvent(event))
  const unsubscribe = deps.trace.subscribe((event) => store.record(redactEvent(event)))

  const app = createServer({ tls: config.tls })
  app.addHook('onClose', async () => {
    unsubscribe()
    await store.close()
  })
  await app.register(healthPlugin, {
    service: SERVICE_NAME,
    // The console reads every bank's database for the ecosystem view.
    probes: bankDatabaseProbes(config.tenants),
  })
  await app.register(flowRoutes(store))
  await app.register(
    ecosystemRoutes(config.tenants, config.links, () => Math.floor(now().getTime() / 1000)),
  )
  if (config.webRoot !== undefined) {
    await app.register(fastifyStatic, {
      root: config.webRoot,
      setHeaders: (res) => {
        res.header('content-security-policy', CONTENT_SECURITY_POLICY)
        res.header('x-content-type-options', 'nosniff')
      },
    })
  }
  return { app, store }
}
