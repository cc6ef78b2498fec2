import { Agent, request } from 'node:http'
import { linksIn } from './fake-resend'

export interface Reply {
  status: number
  location: string | null
  body: string
}

/** One plain HTTP request on a shared keep-alive agent, so `concurrency` means open connections. */
export function send(agent: Agent, url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: (res.headers.location as string | undefined) ?? null, body }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

export interface LoadResult {
  /** Items whose request was answered as expected: the server acknowledged them. */
  acknowledged: Set<number>
  /** Statuses seen, by code (network errors as 0). */
  statuses: Map<number, number>
}

/**
 * Runs `count` jobs over `concurrency` connections. A job that meets a network error (the server
 * down for a moment) is tried again after a short wait, as a person pressing the button again
 * would; any answer counts, and `ok` says which answers acknowledge the job.
 */
export async function runLoad(options: {
  count: number
  concurrency: number
  job: (i: number, agent: Agent) => Promise<Reply>
  ok: (reply: Reply) => boolean
  onAck?: (i: number, done: number) => void | Promise<void>
  retryNetworkErrors?: boolean
}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency })
  const acknowledged = new Set<number>()
  const statuses = new Map<number, number>()
  let next = 0
  const worker = async () => {
    while (next < options.count) {
      const i = next++
      for (let attempt = 0; ; attempt++) {
        try {
          const reply = await options.job(i, agent)
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1)
          if (options.ok(reply)) {
            acknowledged.add(i)
            await options.onAck?.(i, acknowledged.size)
          }
          break
        } catch (error) {
          statuses.set(0, (statuses.get(0) ?? 0) + 1)
          if (!options.retryNetworkErrors || attempt > 200) throw error
          await new Promise((r) => setTimeout(r, 50))
        }
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker))
  } finally {
    agent.destroy()
  }
  return { acknowledged, statuses }
}

export const signForm = (i: number, prefix: string) =>
  new URLSearchParams({
    name: `Load Signer ${i}`,
    email: `${prefix}.${i}@example.org`,
    country: ['IR', 'SE', 'DE', 'CA', 'GB', 'ZZ'][i % 6],
    showName: i % 2 ? 'on' : '',
  }).toString()

/** The server's rate limits out of the way: a load from one test process is many signers, not one. */
export const NO_RATE_LIMITS = {
  RATE_LIMIT_SIGN_PER_IP: '1000000',
  RATE_LIMIT_SIGN_PER_CAMPAIGN_PER_MINUTE: '1000000',
  RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '1000000',
}

export const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }

/**
 * Every fifth signer (by the number in their address) confirms as soon as their email arrives,
 * crashes or not, trying again while the server is down. Runs until `stop()` and the emails seen
 * so far are done; `confirmed` holds the addresses the thanks page answered.
 */
export function confirmAsEmailsArrive(emails: { to: string[]; html: string }[], baseUrl: () => string) {
  const confirmed = new Set<string>()
  let loading = true
  const done = (async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 20 })
    let seen = 0
    while (loading || seen < emails.length) {
      const batch = emails.slice(seen).filter((e) => Number(/\.(\d+)@/.exec(e.to[0])?.[1]) % 5 === 0)
      seen = emails.length
      await Promise.all(
        batch.map(async (email) => {
          // A signer whose first try was stored just before a crash, and who confirmed before their
          // retry reached the restarted server, rightly gets "you have already signed": no link.
          const href = linksIn(email.html).find((l) => l.includes('/s/confirm/'))
          if (!href) return
          const link = new URL(href)
          for (let attempt = 0; attempt < 400; attempt++) {
            try {
              const reply = await send(agent, `${baseUrl()}${link.pathname}${link.search}`)
              if (reply.status === 303 && reply.location?.includes('/thanks')) confirmed.add(email.to[0])
              return
            } catch {
              await new Promise((r) => setTimeout(r, 50))
            }
          }
        }),
      )
      await new Promise((r) => setTimeout(r, 50))
    }
    agent.destroy()
  })()
  return {
    confirmed,
    async stop() {
      loading = false
      await done
    },
  }
}
