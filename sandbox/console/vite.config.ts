import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// The front end builds into dist/web, which the back end serves (src/routes/web.ts).
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
})
