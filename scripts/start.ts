/** `npm start`: everything happens in @sandbox/launcher; this file only hands it the arguments. */
import { runStartCli } from '@sandbox/launcher/cli'

process.exitCode = await runStartCli(process.argv.slice(2))
