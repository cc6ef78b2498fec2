import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { moveVerified } from '../../app/models/counters.server'
import { campaignTargets, getLetterDocument } from '../../app/models/letter.server'
import { getLetterSettings } from '../../app/models/letter-settings.server'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { setLetterSender } from '../support/campaigns'
import { startTestServer, type TestServer } from '../support/server'

// Issue 11 items 5 and 6: letters to each state's mission at the offices a campaign chooses, and to
// UN office holders, whose letter counts by country and names no one (ADR 090, 091).
const SLUG = 'justice-for-1988'
let server: TestServer
let organiser: Client
let campaignId: string

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '1000' })
  organiser = (await signedInAs(server, 'organiser')).client
  campaignId = (await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id
  await setLetterSender(server, SLUG)
  // Iran is marked at risk for this campaign by the seed: its signers' names never go anywhere.
  await seed('IR', 'Secret Persian Name', true)
  await seed('IR', 'Another Hidden Name', true)
  await seed('IR', 'Third Person', false)
  await seed('FR', 'Claire Example', true)
  await seed('KZ', 'Aigerim Example', true)
  await seed('ZZ', 'Somewhere Else', true)
})
afterAll(async () => {
  await server?.stop()
})

async function seed(country: string, name: string, showName: boolean) {
  const id = randomUUID()
  const now = Date.now()
  await server.db
    .insertInto('signatures')
    .values({
      id,
      campaign_id: campaignId,
      status: 'verified',
      email_hash: server.vault.emailHash(`${id}@example.org`),
      email_enc: server.vault.encrypt(`${id}@example.org`),
      name_enc: server.vault.encrypt(name),
      country_code: country,
      locale: 'en',
      show_name: showName ? 1 : 0,
      news_opt_in: 0,
      ip_hash: null,
      referrer: null,
      utm_source: null,
      utm_medium: null,
      utm_campaign: null,
      emails_in_window: 1,
      email_window_started_at: now,
      created_at: now,
      updated_at: now,
      confirmed_at: now,
    })
    .execute()
  await moveVerified(server.db, campaignId, country, 1, now)
}

async function generate(target: string): Promise<string> {
  const res = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country: target })
  expect(res.status).toBe(302)
  return locationOf(res).split('/').pop()!
}

function pdfText(pdf: Buffer, name: string) {
  const file = path.join(server.dir, `${name}.pdf`)
  writeFileSync(file, pdf)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
}
const letterPdf = async (id: string) => Buffer.from(await (await organiser.get(`/admin/campaigns/${SLUG}/letters/${id}/pdf`)).arrayBuffer())

describe('choosing who a campaign writes to', () => {
  it('writes to New York only until organisers choose otherwise', async () => {
    const settings = await getLetterSettings(server.db, campaignId)
    expect(settings?.offices).toEqual(['new-york'])
    const targets = await campaignTargets(server.db, campaignId, settings)
    expect(targets).toHaveLength(195)
    expect(targets).toContain('IR')
    expect(targets.some((t) => t.includes('@') || t.startsWith('UN:'))).toBe(false)
  })

  it('lets an organiser pick Geneva missions and UN office holders, and refuses an empty or unknown choice', async () => {
    const form = new URLSearchParams([
      ['intent', 'addressees'],
      ['office', 'new-york'],
      ['office', 'geneva'],
      ['un', 'secretary-general'],
      ['un', 'special-rapporteur-iran'],
    ])
    expect((await organiser.post(`/admin/campaigns/${SLUG}/letters`, form)).status).toBe(302)
    const settings = await getLetterSettings(server.db, campaignId)
    expect(settings?.offices).toEqual(['new-york', 'geneva'])
    const targets = await campaignTargets(server.db, campaignId, settings)
    expect(targets).toHaveLength(2 + 195 * 2)
    expect(targets.slice(0, 2)).toEqual(['UN:secretary-general', 'UN:special-rapporteur-iran'])
    expect(targets).toEqual(expect.arrayContaining(['IR', 'IR@geneva', 'CH@geneva']))
    const page = await (await organiser.get(`/admin/campaigns/${SLUG}/letters`)).text()
    expect(page).toContain('Special Rapporteur on the situation of human rights in the Islamic Republic of Iran')
    expect(page).toContain('value="IR@geneva"')

    const none = await organiser.post(`/admin/campaigns/${SLUG}/letters`, new URLSearchParams([['intent', 'addressees'], ['un', 'secretary-general']]))
    expect(none.status).toBe(400)
    expect(await none.text()).toContain('Choose at least one office')
    const unknown = await organiser.post(`/admin/campaigns/${SLUG}/letters`, new URLSearchParams([['intent', 'addressees'], ['office', 'new-york'], ['un', 'nobody']]))
    expect(unknown.status).toBe(400)
    expect((await getLetterSettings(server.db, campaignId))?.offices).toEqual(['new-york', 'geneva'])
    const viewer = (await signedInAs(server, 'viewer')).client
    expect((await viewer.post(`/admin/campaigns/${SLUG}/letters`, new URLSearchParams([['intent', 'addressees'], ['office', 'geneva']]))).status).toBe(403)
  })

  it('seeds the four UN office holders with no name and a note to check, and lets organisers edit and add one', async () => {
    const rows = await server.db.selectFrom('un_addressees').selectAll().orderBy('id').execute()
    expect(rows.map((r) => r.id)).toEqual(['high-commissioner-human-rights', 'president-human-rights-council', 'secretary-general', 'special-rapporteur-iran'])
    for (const r of rows) {
      expect(r.person_name).toBe('')
      expect(r.notes).toContain('Check who holds the office before sending')
      expect(r.language).toBe('en')
      expect(r.postal_address).not.toBe('')
    }
    const sr = rows.find((r) => r.id === 'special-rapporteur-iran')!
    const save = await organiser.post('/admin/un-addressees', {
      id: sr.id,
      office: sr.office,
      formOfAddress: 'Ms.',
      personName: 'Rapporteur Example',
      salutation: 'Dear Special Rapporteur,',
      language: 'en',
      city: 'Geneva',
      postalAddress: sr.postal_address,
      emails: '',
      notes: sr.notes,
    })
    expect(save.status).toBe(302)
    expect((await server.db.selectFrom('un_addressees').select('person_name').where('id', '=', sr.id).executeTakeFirstOrThrow()).person_name).toBe('Rapporteur Example')
    const bad = await organiser.post('/admin/un-addressees', { office: 'x', salutation: 'Dear,', language: 'de', city: 'Geneva' })
    expect(bad.status).toBe(400)
    const added = await organiser.post('/admin/un-addressees', { office: 'Working Group on Enforced or Involuntary Disappearances', salutation: 'Dear Members of the Working Group,', language: 'fr', city: 'Geneva' })
    expect(added.status).toBe(302)
    const wg = await server.db.selectFrom('un_addressees').select(['id', 'language']).where('office', '=', 'Working Group on Enforced or Involuntary Disappearances').executeTakeFirstOrThrow()
    expect(wg).toEqual({ id: expect.stringMatching(/^working-group-on-enforced/), language: 'fr' })
  })
})

describe('the missions CSV', () => {
  const upload = (content: string) => {
    const form = new FormData()
    form.set('file', new Blob([content], { type: 'text/csv' }), 'missions.csv')
    return organiser.request('/admin/missions/import', { method: 'POST', body: form, headers: { Origin: server.url } })
  }

  it('carries the office both ways, adds an office a state had no row for, and still reads a file with a city column', async () => {
    const csv = await (await organiser.get('/admin/missions.csv')).text()
    const [header, ...lines] = csv.trim().split('\r\n')
    expect(header.replace(/^\uFEFF/, '').split(',').slice(0, 2)).toEqual(['country_code', 'office'])
    expect(lines.filter((l) => l.startsWith('AT,'))).toEqual([expect.stringMatching(/^AT,geneva,/), expect.stringMatching(/^AT,new-york,/)])
    const atGeneva = lines.find((l) => l.startsWith('AT,geneva,'))!
    const vienna = atGeneva.replace('AT,geneva,', 'AT,vienna,').replace(/,[^,]*,[^,]*$/, ',at.vienna@example.org,')
    const edited = `${header}\r\n${vienna}\r\n${atGeneva.replace(/,[^,]*,[^,]*$/, ',at.geneva@example.org,')}\r\n`
    const res = await upload(edited)
    expect(res.status).toBe(200)
    const at = await server.db.selectFrom('missions').select(['office', 'emails']).where('country_code', '=', 'AT').orderBy('office').execute()
    expect(at).toEqual([
      { office: 'geneva', emails: 'at.geneva@example.org' },
      { office: 'new-york', emails: '' },
      { office: 'vienna', emails: 'at.vienna@example.org' },
    ])
    // The export gives back what was imported, office by office.
    const again = await (await organiser.get('/admin/missions.csv')).text()
    expect(again).toContain('AT,vienna,')
    expect(again.split('\r\n').find((l) => l.startsWith('AT,geneva,'))).toContain('at.geneva@example.org')

    // A file exported before offices existed names the city instead.
    const legacy = 'country_code,name,status,head_title,language,language_confidence,city,postal_address,emails,notes\r\nBE,Belgium,member,representative,fr,set,geneva,,be.geneva@example.org,\r\n'
    expect((await upload(legacy)).status).toBe(200)
    expect(await server.db.selectFrom('missions').select('emails').where('country_code', '=', 'BE').where('office', '=', 'geneva').executeTakeFirstOrThrow()).toEqual({ emails: 'be.geneva@example.org' })
    const wrong = await upload(`${header}\r\n${atGeneva.replace('AT,geneva,', 'AT,paris,')}\r\n`)
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toContain('office: must be one of new-york, geneva, vienna, nairobi')
  })
})

describe('letters to Geneva missions', () => {
  // The Geneva mission of each state, set to write in one of the six languages.
  const cases = [
    { code: 'GB', lang: 'en', to: 'to the United Nations Office at Geneva', city: 'Geneva' },
    { code: 'FR', lang: 'fr', to: 'auprès de l’Office des Nations Unies à Genève', city: 'Genève' },
    { code: 'MX', lang: 'es', to: 'ante la Oficina de las Naciones Unidas en Ginebra', city: 'Ginebra' },
    { code: 'SA', lang: 'ar', to: 'لدى مكتب الأمم المتحدة في جنيف', city: 'جنيف' },
    { code: 'KZ', lang: 'ru', to: 'Постоянному представителю Республики Казахстан при Отделении Организации Объединенных Наций в Женеве', city: 'Женева' },
    { code: 'CN', lang: 'zh', to: '常驻联合国日内瓦办事处代表阁下', city: '日内瓦' },
  ] as const

  it('addresses the mission at Geneva, in each of the six languages, and keeps New York’s letter apart', async () => {
    for (const c of cases) {
      const res = await organiser.post(`/admin/missions/${c.code}?office=geneva`, { headTitle: 'representative', language: c.lang, emails: '', postalAddress: '', notes: '' })
      expect(res.status).toBe(302)
      const id = await generate(`${c.code}@geneva`)
      const row = await server.db.selectFrom('letter_versions').select(['city', 'language', 'reference', 'addressee']).where('id', '=', id).executeTakeFirstOrThrow()
      expect(row).toMatchObject({ city: 'geneva', language: c.lang, addressee: null })
      expect(row.reference).toContain('-GVA/')
      const doc = (await getLetterDocument(server.db, server.vault, id))!
      expect(doc.letters[0].address[0]).toContain(c.to)
      expect(doc.letters[0].address[1]).toBe(c.city)
      if (c.lang !== 'en') expect(doc.letters[1].address).toEqual([expect.stringContaining('to the United Nations Office at Geneva'), 'Geneva'])
    }
    const kz = await server.db.selectFrom('letter_versions').select('id').where('country_code', '=', 'KZ').where('city', '=', 'geneva').executeTakeFirstOrThrow()
    // Lines wrap where the page ends them: compare with the spaces and breaks folded.
    const text = pdfText(await letterPdf(kz.id), 'kz-geneva').replace(/\s+/g, ' ')
    expect(text).toContain('Отделении Организации Объединенных Наций в Женеве')
    expect(text).toContain('Aigerim Example')

    // New York's letter to Kazakhstan is another letter, with the Headquarters address.
    const ny = await generate('KZ')
    const nyDoc = (await getLetterDocument(server.db, server.vault, ny))!
    expect(nyDoc.letters.at(-1)!.address[1]).toBe('New York')
    const page = await (await organiser.get(`/admin/campaigns/${SLUG}/letters`)).text()
    const links = [...page.matchAll(/letters\/([0-9a-f-]{36})"/g)].map((m) => m[1])
    expect(links).toEqual(expect.arrayContaining([kz.id, ny]))
    // Seven letters with PDFs: slow on a loaded machine.
  }, 180_000)
})

describe('letters to UN office holders', () => {
  it('gives the total and a table by country that sums to it, with the certificate, and no name at all', async () => {
    const id = await generate('UN:special-rapporteur-iran')
    const row = await server.db.selectFrom('letter_versions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ country_code: 'UN', addressee: 'special-rapporteur-iran', named_count: 0, total_count: 6, country_count: 6 })
    const doc = (await getLetterDocument(server.db, server.vault, id))!
    const [letter] = doc.letters
    expect(letter.address).toEqual(expect.arrayContaining(['Ms. Rapporteur Example', 'Special Rapporteur on the situation of human rights in the Islamic Republic of Iran']))
    expect(letter.salutation).toBe('Dear Special Rapporteur,')
    const table = letter.table!
    expect(table.total).toEqual(['Total', '6'])
    expect(table.rows[0]).toEqual(['Iran (Islamic Republic of)', '3'])
    expect(table.rows.at(-1)![0]).toContain('Elsewhere')
    expect(table.rows.reduce((sum, [, n]) => sum + Number(n), 0)).toBe(row.total_count)
    expect(letter.names).toEqual([])

    const text = pdfText(await letterPdf(id), 'un-sr').replace(/\s+/g, ' ')
    expect(text).toContain('Special Rapporteur on the situation of human rights in the Islamic Republic of Iran')
    expect(text).toContain('Iran (Islamic Republic of)')
    expect(text).toContain(row.code)
    for (const name of ['Secret Persian Name', 'Another Hidden Name', 'Third Person', 'Claire Example', 'Aigerim Example', 'Somewhere Else']) expect(text).not.toContain(name)
    expect(JSON.stringify(doc)).not.toMatch(/Secret Persian|Claire Example/)

    // The public verification page names the United Nations, and the certificate checks out.
    const verify = (await (await new Client(server.url).get(`/verify/${row.code}`)).text()).replace(/<!-- -->/g, '')
    expect(verify).toContain('Addressed to')
    expect(verify).toContain('the United Nations')
    expect(verify).toContain('Verified signatures counted in this letter')
    expect(verify).not.toContain('Secret Persian')
  })

  it('emails the office holder at the directory’s address, with the PDF, a cover note signed by the sender and no reply link', async () => {
    await server.db.updateTable('un_addressees').set({ emails: 'sr-iran@un.example' }).where('id', '=', 'special-rapporteur-iran').execute()
    const id = await generate('UN:special-rapporteur-iran')
    expect((await organiser.post(`/admin/campaigns/${SLUG}/letters/${id}`, { intent: 'send' })).status).toBe(302)
    const delivery = await server.db.selectFrom('letter_deliveries').selectAll().where('letter_version_id', '=', id).executeTakeFirstOrThrow()
    expect(delivery).toMatchObject({ channel: 'email', status: 'scheduled', country_code: 'UN' })
    // Not waiting for office hours: the queued message is brought forward.
    await server.db.updateTable('outbox').set({ next_attempt_at: Date.now() }).where('id', '=', delivery.outbox_id!).execute()
    server.worker.wake()
    const mail = (await server.resend.waitFor((all) => all.some((e) => e.to.includes('sr-iran@un.example')), 20_000)).find((e) => e.to.includes('sr-iran@un.example'))!
    expect(mail.html).toContain('Dear Special Rapporteur,')
    expect(mail.html).toContain('giving their number by country of residence')
    expect(mail.html).toContain('Please accept the assurances of our highest consideration.')
    const settings = (await getLetterSettings(server.db, (await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id))!
    expect(mail.html).toContain(settings.sender.signerName)
    expect(mail.html).toContain(settings.sender.email)
    expect(mail.html).not.toContain('/respond/')
    expect(mail.attachments).toHaveLength(1)
    expect(Buffer.from(mail.attachments[0].content, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    for (let i = 0; i < 200; i++) {
      const row = await server.db.selectFrom('letter_deliveries').select('status').where('id', '=', delivery.id).executeTakeFirstOrThrow()
      if (row.status === 'sent') break
      await new Promise((r) => setTimeout(r, 25))
    }
    expect((await server.db.selectFrom('letter_deliveries').select('status').where('id', '=', delivery.id).executeTakeFirstOrThrow()).status).toBe('sent')
  }, 60_000)

  it('writes in French when the directory says so, with an English copy', async () => {
    const wg = await server.db.selectFrom('un_addressees').select('id').where('office', 'like', 'Working Group%').executeTakeFirstOrThrow()
    const id = await generate(`UN:${wg.id}`)
    const doc = (await getLetterDocument(server.db, server.vault, id))!
    expect(doc.letters.map((l) => l.lang)).toEqual(['fr', 'en'])
    expect(doc.letters[0].table!.head).toEqual(['Pays de résidence', 'Signataires'])
    expect(doc.letters[0].table!.rows[0]).toEqual(["Iran (République islamique d')", '3'])
    expect(doc.letters[0].table!.total).toEqual(['Total', '6'])
  })
})
