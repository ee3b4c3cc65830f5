/** `npm run seed`: reseeds the data folder's banks without starting the services. */
import { runSeedCli } from '@sandbox/launcher/cli'

process.exitCode = await runSeedCli(process.argv.slice(2))
