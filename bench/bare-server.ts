// The floor for the sign figure: node:http and better-sqlite3 storing the same rows as a real sign
// (a signature, its confirm, inclusion and withdraw tokens, an outbox row; the same columns, sealed
// the same way) with nothing else: no framework, no validation, no limits, no rendering.
import Sqlite from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { createVault, hashToken, newToken } from '../app/infra/vault.server'

const sqlite = new Sqlite(process.env.DATABASE_URL!)
sqlite.pragma('journal_mode = WAL')
sqlite.pragma('synchronous = NORMAL')
sqlite.pragma('busy_timeout = 5000')
const vault = createVault({
  encryptionKey: Buffer.from(process.env.ENCRYPTION_KEY!, 'base64'),
  hmacKey: Buffer.from(process.env.HMAC_KEY!, 'base64'),
})
const campaignId = (sqlite.prepare('select id from campaigns limit 1').get() as { id: string }).id
const insertSignature = sqlite.prepare(
  `insert into signatures (id, campaign_id, status, email_hash, email_enc, name_enc, country_code, locale, show_name,
     news_opt_in, ip_hash, referrer, utm_source, utm_medium, utm_campaign, emails_in_window, email_window_started_at,
     created_at, updated_at, confirmed_at)
   values (?, ?, 'pending', ?, ?, ?, ?, 'en', ?, 0, ?, null, null, null, null, 1, ?, ?, ?, null)`,
)
const insertToken = sqlite.prepare(
  'insert into tokens (token_hash, signature_id, purpose, created_at, expires_at, used_at) values (?, ?, ?, ?, ?, null)',
)
const insertOutbox = sqlite.prepare(
  `insert into outbox (id, template, locale, payload_enc, status, attempts, next_attempt_at, last_error, provider_id,
     signature_id, campaign_id, created_at, sent_at) values (?, 'confirm-signature', 'en', ?, 'pending', 0, ?, null, null, ?, ?, ?, null)`,
)
const sign = sqlite.transaction((form: URLSearchParams, ip: string) => {
  const now = Date.now()
  const id = randomUUID()
  const email = form.get('email') ?? ''
  const name = form.get('name') ?? ''
  insertSignature.run(id, campaignId, vault.emailHash(email.toLowerCase()), vault.encrypt(email), vault.encrypt(name),
    form.get('country') ?? 'ZZ', form.get('showName') ? 1 : 0, vault.ipHash(ip), now, now, now)
  const confirm = newToken()
  const inclusion = newToken()
  const withdraw = newToken()
  insertToken.run(hashToken(confirm), id, 'confirm', now, now + 7 * 86_400_000)
  insertToken.run(hashToken(inclusion), id, 'inclusion', now, now + 400 * 86_400_000)
  insertToken.run(hashToken(withdraw), id, 'withdraw', now, now + 400 * 86_400_000)
  const payload = {
    to: email,
    props: {
      locale: 'en',
      name,
      confirmUrl: `http://localhost/s/confirm/${confirm}`,
      inclusionUrl: `http://localhost/s/inclusion/${inclusion}`,
      withdrawUrl: `http://localhost/s/withdraw/${withdraw}`,
    },
  }
  insertOutbox.run(randomUUID(), vault.encrypt(JSON.stringify(payload)), now, id, campaignId, now)
})

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    sign(new URLSearchParams(Buffer.concat(chunks).toString('utf8')), req.socket.remoteAddress ?? '')
    res.writeHead(303, { Location: '/campaigns/justice-for-1988/check-email?lang=en', 'Content-Length': '0' })
    res.end()
  })
})
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('Serving bare'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
