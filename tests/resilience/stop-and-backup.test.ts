import { existsSync } from 'node:fs'
import { Agent, request } from 'node:http'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ChildServer } from '../support/child-server'
import { testEngine } from '../support/database'
import { linksIn } from '../support/fake-resend'
import { FORM, NO_RATE_LIMITS, runLoad, send, signForm } from '../support/load'

const SLUG = 'justice-for-1988'
const LOAD_ENV = {
  ...NO_RATE_LIMITS,
  EMAIL_RATE_PER_SECOND: '200',
  OUTBOX_POLL_MS: '50',
}

const servers: ChildServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.cleanup()))
})

describe('graceful stop', () => {
  it('on SIGTERM finishes a request in flight, stops the worker and exits 0; a restart sends what is left', async () => {
    // A slow provider rate keeps mail in the outbox when the stop comes.
    const s = await new ChildServer({ ...LOAD_ENV, EMAIL_RATE_PER_SECOND: '1' }).start()
    servers.push(s)
    const body = signForm(1, 'inflight')
    // Headers and half the form are sent; the stop comes; then the rest of the form.
    const reply = new Promise<{ status: number; location?: string }>((resolve, reject) => {
      const req = request(`${s.url}/campaigns/${SLUG}?lang=en`, { method: 'POST', headers: { ...FORM, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }))
      })
      req.on('error', reject)
      req.write(body.slice(0, 10))
      setTimeout(() => req.end(body.slice(10)), 400)
    })
    await new Promise((r) => setTimeout(r, 150))
    const exited = s.signal('SIGTERM')
    const answer = await reply
    expect(answer.status).toBe(303)
    expect(answer.location).toContain('/check-email')
    expect(await exited).toBe(0)
    expect(s.output).toContain('SIGTERM: finishing requests in flight')
    expect((await s.query<{ n: number }>('select count(*) as n from signatures where email_hash = ?', s.emailHash('inflight.1@example.org')))[0].n).toBe(1)

    // More signatures while down would be lost connections; after the restart the outbox resumes.
    await s.start()
    await s.resend.waitFor((all) => all.some((e) => e.to.includes('inflight.1@example.org')), 20_000)
    expect(s.resend.duplicateKeys()).toEqual([])
    expect(await s.signal('SIGTERM')).toBe(0)
  }, 60_000)
})

// PostgreSQL is backed up with pg_dump (docs/operations.md); `npm run backup` is SQLite's.
describe.skipIf(testEngine === 'postgres')('npm run backup', () => {
  it('takes an online copy while signatures come in; the copy starts as a server and passes a reconcile', async () => {
    const s = await new ChildServer(LOAD_ENV).start()
    servers.push(s)
    const target = path.join(s.dir, 'backups', 'copy.db')
    // Some confirmed signatures first, so the copy has counts to reconcile.
    const agent = new Agent()
    for (let i = 0; i < 20; i++) {
      expect((await send(agent, `${s.url}/campaigns/${SLUG}?lang=en`, { method: 'POST', body: signForm(i, 'early'), headers: FORM })).status).toBe(303)
    }
    const early = await s.resend.waitFor((all) => all.length >= 20, 30_000)
    for (const email of early) {
      const link = new URL(linksIn(email.html).find((l) => l.includes('/s/confirm/'))!)
      expect((await send(agent, `${s.url}${link.pathname}${link.search}`)).status).toBe(303)
    }
    let backup: Promise<{ code: number | null; output: string }> | null = null
    const signs = await runLoad({
      count: 300,
      concurrency: 20,
      job: (i, agent) => send(agent, `${s.url}/campaigns/${SLUG}?lang=en`, { method: 'POST', body: signForm(i, 'backup'), headers: FORM }),
      ok: (r) => r.status === 303,
      onAck: (_i, done) => {
        if (done === 150) backup = s.cli('backup', target)
      },
    })
    expect(signs.acknowledged.size).toBe(300)
    const result = await backup!
    expect(result.output).toContain('integrity check ok')
    expect(result.code).toBe(0)
    expect(existsSync(target)).toBe(true)

    // Restore: the copy becomes the database of a new server.
    const restored = new ChildServer(LOAD_ENV, s.secrets)
    servers.push(restored)
    restored.onOwnFile(target)
    const check = await (async () => {
      await restored.start()
      return restored.cli('reconcile', '--check')
    })()
    expect(check.output).toContain('no drift')
    expect(check.code).toBe(0)
    const copied = (await restored.query<{ n: number }>('select count(*) as n from signatures'))[0].n
    expect(copied).toBeGreaterThan(0)
    expect(copied).toBeLessThanOrEqual(320)
    const counts = await send(agent, `${restored.url}/campaigns/${SLUG}.json`)
    agent.destroy()
    expect(counts.status).toBe(200)
    expect(JSON.parse(counts.body).signature_count).toBe(20)
    // The copy reads with the same keys: a name sealed by the first server opens in the second.
    const row = (await restored.query<{ name_enc: string }>('select name_enc from signatures limit 1'))[0]
    expect(restored.vault.decrypt(row.name_enc)).toMatch(/^Load Signer \d+$/)
  }, 90_000)
})
