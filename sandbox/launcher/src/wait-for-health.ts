/** Polls a service's `GET /health` over HTTPS, trusting only the sandbox CA, until it answers 200. */
import { request } from 'node:https'

export interface HealthProbeResult {
  status: number
  body: string
  /** Subject of the certificate that terminated TLS: proves the chain to the sandbox CA. */
  peerSubject: string | undefined
}

/** One HTTPS GET that trusts exactly `ca` (rejectUnauthorized stays on). */
export function getOverTls(url: string, ca: string, timeoutMs = 2000): Promise<HealthProbeResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const peer = (res.socket as import('node:tls').TLSSocket).getPeerCertificate?.()
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          peerSubject: peer?.subject ? String(peer.subject.CN ?? '') : undefined,
        })
      })
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end()
  })
}

/** Waits until `url` answers 200, retrying every `intervalMs` until `deadlineMs` has passed. */
export async function waitForHealth(
  url: string,
  ca: string,
  { deadlineMs = 15_000, intervalMs = 100 } = {},
): Promise<HealthProbeResult> {
  const start = performance.now()
  let last = 'no answer yet'
  while (performance.now() - start < deadlineMs) {
    try {
      const result = await getOverTls(url, ca)
      if (result.status === 200) return result
      last = `HTTP ${result.status}: ${result.body.slice(0, 200)}`
    } catch (error) {
      last = error instanceof Error ? error.message : String(error)
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  throw new Error(`${url} did not become healthy within ${deadlineMs} ms (${last})`)
}
