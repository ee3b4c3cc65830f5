/** `GET /health`: the launcher waits on it, operators and the console poll it. */

import { type HealthCheck, HealthSchema, HealthStatus } from '@sandbox/spec-types/health'
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

export interface HealthOptions {
  /** Service name reported in the document, e.g. `bank-op`. */
  service: string
  /** Each probe resolves when its dependency answers and rejects with a reason when it does not. */
  probes: ReadonlyArray<{ name: string; probe: () => Promise<unknown> }>
}

async function runProbe(name: string, probe: () => Promise<unknown>): Promise<HealthCheck> {
  try {
    await probe()
    return { name, ok: true }
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error) }
  }
}

const health: FastifyPluginAsync<HealthOptions> = async (app, { service, probes }) => {
  app.get(
    '/health',
    { schema: { response: { 200: HealthSchema, 503: HealthSchema } } },
    async (_request, reply) => {
      const checks = await Promise.all(probes.map(({ name, probe }) => runProbe(name, probe)))
      const ok = checks.every((check) => check.ok)
      // A degraded service answers 503 so that load balancers and the launcher's wait loop see it.
      return reply
        .code(ok ? 200 : 503)
        .header('cache-control', 'no-store')
        .send({ service, status: ok ? HealthStatus.ok : HealthStatus.degraded, checks })
    },
  )
}

export const healthPlugin = fp(health, { name: 'health' })
