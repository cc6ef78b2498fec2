import { createServer } from 'node:net'

// Below Linux's ephemeral range (32768-60999), which the system hands out as the source port of
// outgoing connections. A client that keeps reconnecting to a port in that range while its server
// is down (as the crash tests do) can be given that very port as its own source port, connect to
// itself, and hold the port so the restarted server cannot listen on it.
const FIRST = 20_000
const LAST = 32_000

const tryPort = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })

/** A port nothing listens on right now, outside the ephemeral range, for a server run as a child process. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = FIRST + Math.floor(Math.random() * (LAST - FIRST))
    if (await tryPort(port)) return port
  }
  throw new Error(`no free port between ${FIRST} and ${LAST}`)
}
