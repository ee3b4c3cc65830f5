/**
 * Runs the demo fintech on its own against the providers a configuration file names
 * (config-file.ts), for trying it with any FAPI 2.0 authorization server: `npm run fintech --
 * --config <file>`. Stops cleanly on Ctrl-C.
 */
import { closeServer } from '@sandbox/service-kit/server'
import { buildFintech } from './app.js'
import { FintechConfigError, loadFintechConfigFile } from './config-file.js'
import { builtWebRoot } from './web-root.js'

export async function runFintechCli(args: readonly string[]): Promise<number> {
  const index = args.indexOf('--config')
  const file = index === -1 ? undefined : args[index + 1]
  if (file === undefined || args.includes('--help')) {
    console.log(
      'usage: npm run fintech -- --config <fintech.json>   (see README, "Any FAPI 2.0 provider")',
    )
    return file === undefined && !args.includes('--help') ? 2 : 0
  }
  let loaded: Awaited<ReturnType<typeof loadFintechConfigFile>>
  try {
    loaded = await loadFintechConfigFile(file)
  } catch (error) {
    if (error instanceof FintechConfigError) {
      console.error(error.message)
      return 2
    }
    throw error
  }
  const { app } = await buildFintech({ ...loaded.config, webRoot: builtWebRoot() })
  await app.listen({ host: loaded.host, port: loaded.port })
  console.log(`Demo fintech at ${loaded.config.redirectUris[0]?.replace(/\/callback$/, '/')}`)
  for (const provider of loaded.config.providers) {
    console.log(
      `  ${provider.id}: ${provider.issuer} as ${provider.clientId} (${provider.profileSummary})`,
    )
  }
  await new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  await closeServer(app)
  return 0
}
