// CPU cost of rendering one email, a full React render per message against the template compiled once
// per language (ADR 097). Run: `npm run bench:email` (a few seconds).
import { plainTextSelectors, render } from '@react-email/render'
import { compile } from 'html-to-text'
import { createElement } from 'react'
import { templates } from '../emails'
import { renderTemplate } from '../app/email-render.server'

const N = Number(process.argv[2] ?? 500)
const toPlainText = compile({ wordwrap: false, selectors: plainTextSelectors })
const LOCALES = ['en', 'fa', 'fr', 'es', 'ar'] as const

const props = (i: number) => ({
  locale: LOCALES[i % LOCALES.length],
  name: `Signer ${i}`,
  campaignTitle: 'Justice for the victims of the 1988 prison massacres',
  countryName: 'Canada',
  confirmUrl: `https://example.org/s/confirm/${i.toString(36)}abcdefghijklmnop`,
  withdrawUrl: `https://example.org/s/withdraw/${i.toString(36)}qrstuvwxyz`,
  unsubscribeUrl: `https://example.org/s/unsubscribe/${i.toString(36)}`,
  inclusionUrl: `https://example.org/s/inclusion/${i.toString(36)}`,
  logSecret: 'ab'.repeat(32),
  retentionDays: 14,
})

async function full(i: number) {
  const entry = templates['confirm-signature']
  const html = await render(createElement(entry.component, props(i)))
  return { subject: entry.subject(props(i)), html, text: toPlainText(html) }
}

async function measure(label: string, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 50; i++) await fn(i) // warm-up, and the compiled shapes
  const before = process.cpuUsage()
  for (let i = 0; i < N; i++) await fn(i)
  const used = process.cpuUsage(before)
  const ms = (used.user + used.system) / 1000 / N
  console.log(`${label.padEnd(34)} ${ms.toFixed(3)} ms CPU per message (${N} confirmations, 5 languages)`)
  return ms
}

const before = await measure('full React render per message', full)
const after = await measure('compiled once per language', (i) => renderTemplate('confirm-signature', props(i)))
console.log(`${(before / after).toFixed(1)}x less CPU per message`)
