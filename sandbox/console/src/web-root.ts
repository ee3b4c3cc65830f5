/** The console's built pages: `dist/web` once `npm run build` has run. */
import { builtWebRoot as webRootNextTo } from '@sandbox/service-kit/web-root'

export function builtWebRoot(): string | undefined {
  return webRootNextTo(import.meta.url)
}
