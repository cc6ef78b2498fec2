import type { ServerBuild } from '@remix-run/node'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConfigError, loadConfig } from '../app/config.server'
import { describeDatabase } from '../db/url'
import { startServer, type RunningServer } from './app'

async function main() {
  let config
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(78)
    }
    throw error
  }
  const buildPath = path.resolve('build/index.js')
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild

  // The stop is set up before the server starts and says it is serving: a supervisor may send
  // SIGTERM the moment it reads that line, and a signal with no handler yet would kill the process.
  let server: RunningServer | null = null
  let stopping = false
  const close = (running: RunningServer) =>
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: finishing requests in flight, then stopping`)
    const force = setTimeout(() => process.exit(1), 20_000)
    force.unref()
    // During start-up, the stop comes as soon as the server is up.
    if (server) void close(server)
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))

  server = await startServer({ config, build })
  const mail = config.email.mode === 'resend' ? 'Resend' : `the dev mailbox at ${config.appUrl}/dev/mailbox`
  console.log(`Serving ${config.appUrl} (port ${server.port}); database ${describeDatabase(config.database)}; mail to ${mail}`)
  if (stopping) void close(server)
}

main().catch((error: Error) => {
  console.error(`Start-up failed: ${error.message}`)
  process.exit(1)
})
