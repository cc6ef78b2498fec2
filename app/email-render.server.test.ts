import { plainTextSelectors, render } from '@react-email/render'
import { convert } from 'html-to-text'
import { createElement } from 'react'
import { describe, expect, it } from 'vitest'
import { templates, type TemplateName } from '../emails'
import { compiledTemplates, renderTemplate } from './email-render.server'

const real = async (template: TemplateName, props: unknown) => {
  const html = await render(createElement(templates[template].component as never, props as never))
  return { html, text: convert(html, { wordwrap: false, selectors: plainTextSelectors }) }
}

const signer = (i: number, locale: string) => ({
  locale,
  name: i === 0 ? `O'Brien & "Sons" <b>bold</b>` : `Signer ${i} مریم`,
  campaignTitle: 'Justice for the victims of the 1988 prison massacres',
  countryName: i % 2 ? 'Canada' : 'Côte d’Ivoire',
  confirmUrl: `https://example.org/s/confirm/t${i}?lang=${locale}&x=<y>`,
  withdrawUrl: `https://example.org/s/withdraw/w${i}`,
  unsubscribeUrl: i % 3 ? `https://example.org/s/unsubscribe/u${i}` : null,
  inclusionUrl: `https://example.org/s/inclusion/${i}`,
  logSecret: i % 2 ? 'ab'.repeat(32) : null,
  retentionDays: 14,
})

describe('templates compiled once per language', () => {
  it('give, message after message, exactly what a full render gives, values escaped as React escapes them', async () => {
    for (const locale of ['en', 'fa', 'ar', 'fr', 'es']) {
      for (let i = 0; i < 6; i++) {
        const props = signer(i, locale)
        const compiled = await renderTemplate('confirm-signature', props)
        expect(compiled).toEqual({ subject: templates['confirm-signature'].subject(props as never), ...(await real('confirm-signature', props)) })
      }
    }
    const news = { locale: 'fa', updateId: 'u', campaignTitle: 'T', campaignUrl: 'https://example.org/c?lang=fa&a=1', subject: 'S', bodyHtml: '<p>Body &amp; more</p>', withdrawUrl: 'https://example.org/w/1', unsubscribeUrl: 'https://example.org/u/1' }
    for (const n of [1, 2]) {
      const props = { ...news, withdrawUrl: `https://example.org/w/${n}'"` }
      expect(await renderTemplate('news-update', props)).toMatchObject(await real('news-update', props))
    }
    const reset = { url: 'https://example.org/admin/password/x&y', purpose: 'reset-password' }
    expect(await renderTemplate('password-reset', reset)).toMatchObject(await real('password-reset', reset))
    // Each shape compiled once, and substitution reproduced every one of them.
    expect(compiledTemplates().refused).toBe(0)
    expect(compiledTemplates().compiled).toBeLessThan(5 * 6)
  })
})
