import { defineConfig } from 'vitest/config'

// Generous limits: they catch a hang, not a slow machine (turbo runs several packages at once).
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
})
