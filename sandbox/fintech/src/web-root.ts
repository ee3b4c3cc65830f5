/** Where the built front end is: `dist/web` beside this module once `npm run build` has run. */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The folder vite builds into, or undefined when the front end has not been built. */
export function builtWebRoot(): string | undefined {
  const root = fileURLToPath(new URL('./web/', import.meta.url))
  return existsSync(`${root}index.html`) ? root : undefined
}
