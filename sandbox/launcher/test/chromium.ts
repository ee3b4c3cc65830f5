/**
 * Debian's Chromium for the browser tests, found and never downloaded (STYLE 7.6): `CHROMIUM_PATH`
 * or `chromium` on PATH, headless, with a fresh profile, no background networking, and trusting
 * exactly the sandbox server's key (the machines have no outside network and no system CA for it).
 */
import { createHash, X509Certificate } from 'node:crypto'
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'

/** How to get the browser when it is missing. */
export const CHROMIUM_HINT =
  "install Debian's Chromium (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary"

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The Chromium binary to drive, or undefined when there is none. */
export function findChromium(): string | undefined {
  const configured = process.env.CHROMIUM_PATH
  if (configured !== undefined && configured !== '') {
    return isExecutable(configured) ? configured : undefined
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = join(dir, name)
      if (dir !== '' && isExecutable(candidate)) return candidate
    }
  }
  return undefined
}

/** base64 SHA-256 of the certificate's SubjectPublicKeyInfo: what Chromium's SPKI allow-list takes. */
export function spkiHash(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(spki).digest('base64')
}

export interface LaunchedChromium {
  context: BrowserContext
  close(): Promise<void>
}

/**
 * Starts headless Chromium with a fresh user data folder, trusting the sandbox server certificate's
 * key only (`--ignore-certificate-errors-spki-list`, which Chromium honours with its own profile).
 */
export async function launchChromium(
  executablePath: string,
  serverCertPem: string,
): Promise<LaunchedChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      `--ignore-certificate-errors-spki-list=${spkiHash(serverCertPem)}`,
    ],
    viewport: { width: 1180, height: 900 },
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
