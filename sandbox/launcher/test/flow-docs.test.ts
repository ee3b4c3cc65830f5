/**
 * Docs that cannot drift: the recorded flows in docs/flows/recorded/ are what the console exports
 * when the demo fintech runs each journey against the launched banks, with volatile values (ids,
 * ports, keys, times) normalised. This test records them afresh and fails when a committed page
 * differs; `npm run flow-docs` rewrites them.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SandboxServer } from '@sandbox/service-kit/server'
import { beforeAll, expect, test } from 'vitest'
import type { RunningSandbox } from '../src/launch.js'
import { CONSOLE, FINTECH, portsFor } from '../src/services.js'
import { FintechUser } from './fintech-user.js'
import { useLaunchedSandbox } from './launched-sandbox.js'

const RECORDED = join(import.meta.dirname, '..', '..', '..', 'docs', 'flows', 'recorded')
const UPDATE = process.env.UPDATE_FLOW_DOCS === '1'

const launched = useLaunchedSandbox('launch-flow-docs')
let sandbox: RunningSandbox
let consoleApp: SandboxServer

beforeAll(() => {
  sandbox = launched.sandbox
  consoleApp = launched.server(CONSOLE)
})

/** The same page whatever the run: default ports, placeholders for ids, keys and times. */
function normalise(markdown: string): string {
  let text = markdown
  const defaults = portsFor(8440)
  for (const service of sandbox.services) {
    text = text.replaceAll(service.url, `https://localhost:${defaults[service.name]}`)
  }
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, '<time>')
    .replace(
      /"(kid|x|y|n|e|jkt|jti|state|nonce|code_challenge|request_uri|iat|exp|nbf)":\s*("[^"]*"|\d+)/g,
      '"$1": "<$1>"',
    )
    .replace(/"(x5t#S256)":\s*"[^"]*"/g, '"$1": "<thumbprint>"')
    .replace(/(interaction|grants)\/[A-Za-z0-9_-]{16,}/g, '$1/<id>')
    .replace(
      /urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]+/g,
      'urn:ietf:params:oauth:request_uri:<id>',
    )
}

/** The console's Markdown of the flow the fintech's last callback ended. */
async function lastJourney(): Promise<string> {
  const callback = sandbox.trace
    .recent()
    .findLast((event) => event.service === 'fintech' && event.step === 'callback')
  const flowId = callback?.flowId ?? ''
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const res = await consoleApp.inject({ method: 'GET', url: `/api/flows/${flowId}/export.md` })
    // The console writes in batches: wait until the token request is stored too.
    if (res.statusCode === 200 && res.body.includes(' token ')) return normalise(res.body)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`flow ${flowId} never reached the console`)
}

function user(): FintechUser {
  const fintech = sandbox.servers.get(FINTECH) as SandboxServer
  const origin = sandbox.services.find((service) => service.name === FINTECH)?.url ?? ''
  return new FintechUser(fintech, origin, sandbox.pki.ca.certPem)
}

const JOURNEYS: ReadonlyArray<{ file: string; run: (person: FintechUser) => Promise<unknown> }> = [
  { file: 'connect-aurora-dpop.md', run: (person) => person.connect('aurora') },
  { file: 'connect-meridian-mtls.md', run: (person) => person.connect('meridian') },
  { file: 'connect-fjord-message-signing.md', run: (person) => person.connect('fjord') },
  {
    file: 'payment-aurora.md',
    run: (person) => person.pay('4.20', 'Recorded flow'),
  },
]

test.each(JOURNEYS)(
  'docs/flows/recorded/$file is what a fresh recording gives',
  async ({ file, run }) => {
    await run(user())
    const recorded = await lastJourney()
    const path = join(RECORDED, file)
    if (UPDATE) writeFileSync(path, recorded)
    expect(recorded, `${file} drifted: run npm run flow-docs`).toBe(readFileSync(path, 'utf8'))
  },
)
