/** `npm run fintech -- --config <file>`: the demo fintech alone, against the providers the file names. */
import { runFintechCli } from '@sandbox/fintech/standalone'

process.exitCode = await runFintechCli(process.argv.slice(2))
