// The floor for the PostgreSQL figures: node:http and pg storing the same rows as a real sign (a
// signature, its confirm, inclusion and withdraw tokens, an outbox row, in one transaction) and
// confirming as a real confirmation does (the token spent, the signature verified, both counters
// moved, in one transaction), with nothing else: no framework, no validation, no limits, no rendering.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import pg from 'pg'
import { createVault, hashToken, newToken } from '../app/infra/vault.server'
import { PG_TYPES } from '../db/pg-types'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: 10, types: PG_TYPES })
const vault = createVault({
  encryptionKey: Buffer.from(process.env.ENCRYPTION_KEY!, 'base64'),
  hmacKey: Buffer.from(process.env.HMAC_KEY!, 'base64'),
})
const campaignId = (await pool.query('select id from campaigns limit 1')).rows[0].id as string

async function inTransaction(work: (c: pg.PoolClient) => Promise<void>) {
  const c = await pool.connect()
  try {
    await c.query('begin')
    await work(c)
    await c.query('commit')
  } catch (error) {
    await c.query('rollback')
    throw error
  } finally {
    c.release()
  }
}

async function sign(form: URLSearchParams, ip: string) {
  const now = Date.now()
  const id = randomUUID()
  const email = form.get('email') ?? ''
  const name = form.get('name') ?? ''
  const confirm = newToken()
  const inclusion = newToken()
  const withdraw = newToken()
  const payload = { to: email, props: { locale: 'en', name, confirmUrl: `http://localhost/s/confirm/${confirm}`, inclusionUrl: `http://localhost/s/inclusion/${inclusion}`, withdrawUrl: `http://localhost/s/withdraw/${withdraw}` } }
  await inTransaction(async (c) => {
    await c.query(
      `insert into signatures (id, campaign_id, status, email_hash, email_enc, name_enc, country_code, locale, show_name,
         news_opt_in, ip_hash, emails_in_window, email_window_started_at, created_at, updated_at)
       values ($1, $2, 'pending', $3, $4, $5, $6, 'en', $7, 0, $8, 1, $9, $9, $9)`,
      [id, campaignId, vault.emailHash(email.toLowerCase()), vault.encrypt(email), vault.encrypt(name), form.get('country') ?? 'ZZ', form.get('showName') ? 1 : 0, vault.ipHash(ip), now],
    )
    await c.query(
      `insert into tokens (token_hash, signature_id, purpose, created_at, expires_at) values
         ($1, $4, 'confirm', $5, $6), ($2, $4, 'inclusion', $5, $7), ($3, $4, 'withdraw', $5, $7)`,
      [hashToken(confirm), hashToken(inclusion), hashToken(withdraw), id, now, now + 7 * 86_400_000, now + 400 * 86_400_000],
    )
    await c.query(
      `insert into outbox (id, template, locale, payload_enc, status, attempts, next_attempt_at, signature_id, campaign_id, created_at)
       values ($1, 'confirm-signature', 'en', $2, 'pending', 0, $3, $4, $5, $3)`,
      [randomUUID(), vault.encrypt(JSON.stringify(payload)), now, id, campaignId],
    )
  })
}

async function confirm(token: string) {
  const now = Date.now()
  await inTransaction(async (c) => {
    const t = await c.query(`update tokens set used_at = $2 where token_hash = $1 and used_at is null returning signature_id`, [hashToken(token), now])
    if (!t.rows[0]) return
    const s = await c.query(`update signatures set status = 'verified', confirmed_at = $2, updated_at = $2 where id = $1 and status = 'pending' returning country_code`, [t.rows[0].signature_id, now])
    if (!s.rows[0]) return
    await c.query(`update campaign_counts set verified_count = verified_count + 1, updated_at = $2 where campaign_id = $1`, [campaignId, now])
    await c.query(
      `insert into country_counts (campaign_id, country_code, verified_count) values ($1, $2, 1)
       on conflict (campaign_id, country_code) do update set verified_count = country_counts.verified_count + 1`,
      [campaignId, s.rows[0].country_code],
    )
  })
}

const server = createServer((req, res) => {
  const confirming = /^\/s\/confirm\/([A-Za-z0-9_-]+)/.exec(req.url ?? '')
  if (confirming) {
    confirm(confirming[1]).then(() => {
      res.writeHead(303, { Location: '/campaigns/justice-for-1988/thanks?lang=en', 'Content-Length': '0' })
      res.end()
    }, () => res.destroy())
    return
  }
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    sign(new URLSearchParams(Buffer.concat(chunks).toString('utf8')), req.socket.remoteAddress ?? '').then(() => {
      res.writeHead(303, { Location: '/campaigns/justice-for-1988/check-email?lang=en', 'Content-Length': '0' })
      res.end()
    }, () => res.destroy())
  })
})
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('Serving bare'))
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))))
