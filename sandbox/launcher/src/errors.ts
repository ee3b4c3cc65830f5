/** Failures the launcher explains in one line instead of a stack trace. */

/** The environment stops the sandbox from starting: a busy port, an unwritable folder. */
export class LaunchError extends Error {
  override readonly name = 'LaunchError'
}

/** Rewrites the errors a user can fix into LaunchErrors that say how. */
export function explainListenError(error: unknown, service: string, host: string, port: number) {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'EADDRINUSE') {
    return new LaunchError(
      `port ${port} (${service}) is already in use on ${host}; choose other ports with --base-port <n>`,
    )
  }
  if (code === 'EACCES') {
    return new LaunchError(
      `not allowed to listen on port ${port} (${service}); use --base-port <n> above 1024`,
    )
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new LaunchError(
      `cannot listen on host '${host}' (${code}); choose another with --host <name>`,
    )
  }
  return error
}
