/** Where a service's built pages are: vite builds them into `dist/web`, beside its compiled modules. */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The `web/` folder next to `moduleUrl` (a service's `import.meta.url` in `dist/`), or undefined
 * when the pages have not been built.
 */
export function builtWebRoot(moduleUrl: string): string | undefined {
  const root = fileURLToPath(new URL('./web/', moduleUrl))
  return existsSync(`${root}index.html`) ? root : undefined
}
