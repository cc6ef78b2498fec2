import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sealStoredPdfs } from '../../app/models/letter.server'
import { isSealed } from '../../app/infra/vault.server'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { signAndConfirm, SLUG } from '../support/signing'
import { setLetterSender } from '../support/campaigns'

// Issue 13: letter PDFs, which list signers' names, were stored unencrypted; viewers could read
// letter HTML, PDF and the zip of all letters, and no download was audited.
let server: TestServer
let organiser: Client
let organiserId: string
let viewer: Client
let letterPath: string
let letterId: string

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '1000', RATE_LIMIT_LOGIN_PER_IP: '1000' })
  await setLetterSender(server, SLUG)
  const signedIn = await signedInAs(server, 'organiser')
  organiser = signedIn.client
  organiserId = signedIn.organiser.id
  viewer = (await signedInAs(server, 'viewer')).client
  await signAndConfirm(server, { name: 'Amal Cairene', country: 'EG', showName: 'on' })
  const res = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country: 'EG' })
  letterPath = locationOf(res)
  letterId = letterPath.split('/').at(-1)!
})
afterAll(async () => {
  await server?.stop()
})

const auditOf = (action: string) =>
  server.db.selectFrom('audit_log').select(['organiser_id', 'action', 'target', 'details_json', 'created_at']).where('action', '=', action).execute()

describe('letters at rest', () => {
  it('stores the PDF sealed, and serves it whole to an organiser', async () => {
    const row = await server.db.selectFrom('letter_versions').select('pdf').where('id', '=', letterId).executeTakeFirstOrThrow()
    expect(isSealed(row.pdf)).toBe(true)
    expect(Buffer.from(row.pdf).includes('%PDF')).toBe(false)
    const pdf = Buffer.from(await (await organiser.get(`${letterPath}/pdf`)).arrayBuffer())
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expect(pdf.equals(server.vault.openBytes(row.pdf))).toBe(true)
  })

  it('seals a PDF stored in clear before sealing existed, and still serves it', async () => {
    const row = await server.db.selectFrom('letter_versions').select('pdf').where('id', '=', letterId).executeTakeFirstOrThrow()
    const clear = server.vault.openBytes(row.pdf)
    await server.db.updateTable('letter_versions').set({ pdf: clear }).where('id', '=', letterId).execute()
    expect(Buffer.from(await (await organiser.get(`${letterPath}/pdf`)).arrayBuffer()).equals(clear)).toBe(true)
    expect(await sealStoredPdfs(server.db, server.vault)).toBe(1)
    const after = await server.db.selectFrom('letter_versions').select('pdf').where('id', '=', letterId).executeTakeFirstOrThrow()
    expect(isSealed(after.pdf)).toBe(true)
    expect(server.vault.openBytes(after.pdf).equals(clear)).toBe(true)
    expect(await sealStoredPdfs(server.db, server.vault)).toBe(0)
  })
})

describe('who reads letters', () => {
  it('refuses a viewer the letter page, its PDF and the zip, and shows them no link to either', async () => {
    expect((await viewer.get(letterPath)).status).toBe(403)
    expect((await viewer.get(`${letterPath}/pdf`)).status).toBe(403)
    expect((await viewer.get(`/admin/campaigns/${SLUG}/letters.zip`)).status).toBe(403)
    const list = await viewer.get(`/admin/campaigns/${SLUG}/letters`)
    expect(list.status).toBe(200)
    const html = await list.text()
    expect(html).not.toContain(letterPath)
    expect(html).not.toContain('letters.zip')
  })

  it('audits who viewed a letter, downloaded its PDF or the zip, and when', async () => {
    const from = Date.now()
    expect((await organiser.get(letterPath)).status).toBe(200)
    expect((await organiser.get(`${letterPath}/pdf`)).status).toBe(200)
    const zip = await organiser.get(`/admin/campaigns/${SLUG}/letters.zip`)
    expect(zip.status).toBe(200)
    await zip.arrayBuffer()
    for (const [action, target] of [
      ['letter.view', letterId],
      ['letter.download-pdf', letterId],
      ['letters.download-zip', SLUG],
    ]) {
      const rows = (await auditOf(action)).filter((r) => r.created_at >= from)
      expect(rows, action).toHaveLength(1)
      expect(rows[0]).toMatchObject({ organiser_id: organiserId, target })
    }
    expect(JSON.parse((await auditOf('letter.view')).at(-1)!.details_json)).toMatchObject({ country: 'EG' })
  })
})

describe('who reads signers', () => {
  it('audits every moderation search, by any criterion, and each signature opened', async () => {
    const from = Date.now()
    const res = await organiser.get(`/admin/campaigns/${SLUG}/moderation?country=EG`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Amal Cairene')
    const searches = (await auditOf('signatures.search')).filter((r) => r.created_at >= from)
    expect(searches).toHaveLength(1)
    expect(searches[0].organiser_id).toBe(organiserId)
    expect(JSON.parse(searches[0].details_json)).toEqual({ by: ['country'], found: 1 })
    expect(searches[0].details_json).not.toContain('EG')
    const id = (await server.db.selectFrom('signatures').select('id').executeTakeFirstOrThrow()).id
    expect((await organiser.get(`/admin/campaigns/${SLUG}/moderation?signature=${id}`)).status).toBe(200)
    expect((await auditOf('signature.view')).filter((r) => r.created_at >= from)).toMatchObject([{ organiser_id: organiserId, target: id }])
  })

  it('refuses a viewer moderation and the export', async () => {
    expect((await viewer.get(`/admin/campaigns/${SLUG}/moderation?country=EG`)).status).toBe(403)
    expect((await viewer.get(`/admin/campaigns/${SLUG}/export.csv`)).status).toBe(403)
  })
})
