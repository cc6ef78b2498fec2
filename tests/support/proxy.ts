import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A small round-robin HTTP proxy in front of several app processes, as a load balancer is: a backend
 * that refuses the connection (a process down) is skipped for the next one; a backend that dies with
 * the request in flight leaves the client's connection cut, as a real one does, so the client tries
 * again. It adds X-Forwarded-For with the client's address, which TRUST_PROXY=loopback accepts.
 */
export class RoundRobinProxy {
  private server: Server | null = null
  private next = 0
  url = ''

  constructor(private readonly backends: () => string[]) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const body = Buffer.concat(chunks)
        const targets = this.backends()
        const attempt = (tries: number) => {
          if (tries >= targets.length * 4) return res.destroy()
          const target = new URL(targets[this.next++ % targets.length])
          const upstream = request(
            { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' } },
            (answer) => {
              res.writeHead(answer.statusCode ?? 502, answer.headers)
              answer.pipe(res)
              answer.on('error', () => res.destroy())
            },
          )
          upstream.on('error', (error: NodeJS.ErrnoException) => {
            // Refused: nothing reached that process, so another may take the request.
            if (error.code === 'ECONNREFUSED' && !res.headersSent) return attempt(tries + 1)
            res.destroy()
          })
          upstream.end(body)
        }
        attempt(0)
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async stop() {
    this.server?.closeAllConnections()
    await new Promise((resolve) => this.server?.close(resolve))
  }
}
