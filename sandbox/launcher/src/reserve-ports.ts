/**
 * Ephemeral ports chosen before the services are built: bank-op's issuers (RFC 8414 section 2)
 * contain its URL, so the port must be known before the app exists, not after it listens.
 */
import { createServer, type Server } from 'node:net'
import { explainListenError } from './errors.js'
import type { ServicePorts } from './services.js'

function listenOnAny(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, host, () => resolve(server))
  })
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}

/**
 * Returns `requested` with every 0 (or missing) port among `names` replaced by a free port on
 * `host`. The probes stay open until all are chosen, so no two names get the same port; another
 * process could still take one before the service listens, which the listen error then reports.
 */
export async function reservePorts(
  host: string,
  names: readonly string[],
  requested: ServicePorts,
): Promise<Record<string, number>> {
  const ports: Record<string, number> = { ...requested }
  const probes: Server[] = []
  try {
    for (const name of names) {
      if ((ports[name] ?? 0) !== 0) continue
      const probe = await listenOnAny(host).catch((error: unknown) => {
        throw explainListenError(error, name, host, 0)
      })
      probes.push(probe)
      const address = probe.address()
      if (typeof address !== 'object' || address === null)
        throw new Error(`no port for ${name} on ${host}`)
      ports[name] = address.port
    }
  } finally {
    await Promise.all(probes.map(close))
  }
  return ports
}
