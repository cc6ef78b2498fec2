import type { Insertable } from 'kysely'
import { reusableInsert, type Database, type DB, type Signature, type TokenPurpose } from '~/db.server'
import { enqueueEmail } from '~/email.server'
import type { Locale } from '~/i18n/i18n.server'
import { campaignTitleIn } from '~/models/campaign.server'
import { moveCounts, moveVerified } from '~/models/counters.server'
import { queueLogEntries } from '~/models/transparency-log.server'
import { countryName } from '~/utils/countries'
import { eachInOwnTransaction, type Writes } from '~/infra/group-commit.server'
import { canonicalEmail, emailDomain } from '~/utils/email-address'
import { CONFIRM_LINK_DAYS } from '~/utils/signature-rules'
import type { SignInput } from '~/utils/signature-schema'
import { timeOrderedId } from '~/infra/random.server'
import { personId as partnerPersonId } from '~/models/partner-api.server'
import { forgetSignatureInWebhooks, queueWebhook } from '~/models/partner-webhook.server'
import { hashToken, newToken, type Vault } from '~/infra/vault.server'
import { isLinkMac, makeLinkToken, readLinkToken, type LinkPurpose } from '~/infra/link-token.server'
import { pacer } from '~/infra/next-turn.server'
import { effectiveStatus } from '~/models/campaign-story.server'

const DAY = 24 * 60 * 60_000
export const CONFIRM_TOKEN_TTL = CONFIRM_LINK_DAYS * DAY
/**
 * The inclusion link's life, and that of the stored withdraw and unsubscribe links sent before
 * links became MACs (ADR 120): withdraw and unsubscribe MACs last as long as the signature does.
 */
export const LINK_TOKEN_TTL = 400 * DAY
/** At most this many emails to one signer per campaign in EMAIL_WINDOW: resends are capped. */
export const EMAILS_PER_WINDOW = 3
export const EMAIL_WINDOW = DAY

export interface SignerDeps {
  db: DB
  /** How the sign's transaction is run: the server's group commit, or a transaction of its own. */
  writes?: Writes
  vault: Vault
  appUrl: string
  retentionDays: number
  now?: number
}

export interface SignRequest {
  campaign: { id: string; slug: string; status: string }
  title: string
  input: SignInput
  locale: Locale
  ipHash: string | null
  /** Country of the signer's IP, looked up offline by the caller; kept for the fraud flags. */
  ipCountry?: string | null
  referrer?: string | null
  utm?: { source?: string | null; medium?: string | null; campaign?: string | null }
  /** The partner whose link brought the signer, already checked to be this campaign's (ADR 122). */
  partnerId?: string | null
  /** "{partner} may email me about its work", ticked; means nothing without `partnerId` (ADR 131). */
  partnerOptIn?: boolean
}

export type SignOutcome = 'confirmation-sent' | 'already-signed-sent' | 'capped' | 'closed'

type TokenRequest = { purpose: TokenPurpose; ttl: number }

const insertTokens = reusableInsert((db: DB, rows: Insertable<Database['tokens']>[]) => db.insertInto('tokens').values(rows))

// Most signers are new: the insert is tried first, and the earlier signature looked for only if the
// address has one (the unique key on campaign and email hash says so).
const insertSignature = reusableInsert((db: DB, rows: Insertable<Database['signatures']>[]) =>
  db.insertInto('signatures').values(rows).onConflict((oc) => oc.columns(['campaign_id', 'email_hash']).doNothing()),
)

type Label = { hash: string; label: string } | null

/** The attribution labels of a signature and their keyed hashes: `r:<host>`, `u:<[source, medium, campaign]>`. */
export function attributionLabels(vault: Vault, referrer: string | null, utm: { source?: string | null; medium?: string | null; campaign?: string | null } | null) {
  const label = (text: string): Label => ({ hash: vault.labelHash(text), label: text })
  const tags = [utm?.source ?? null, utm?.medium ?? null, utm?.campaign ?? null]
  return { referrer: referrer ? label(`r:${referrer}`) : null, utm: tags.some((t) => t !== null) ? label(`u:${JSON.stringify(tags)}`) : null }
}

/** Stores each label once, encrypted; an existing one is left alone. */
export async function rememberLabels(db: DB, vault: Vault, labels: Label[], now: number) {
  const rows = labels.filter((l): l is NonNullable<Label> => l !== null).map((l) => ({ hash: l.hash, label_enc: vault.encrypt(l.label), created_at: now }))
  if (rows.length) await db.insertInto('attribution_labels').values(rows).onConflict((oc) => oc.column('hash').doNothing()).execute()
}

/** Issues fresh stored tokens for a signature, one row each, in one statement; returns them in clear, in order. */
async function issueTokens(db: DB, signatureId: string, requests: TokenRequest[], now: number): Promise<string[]> {
  const tokens = requests.map(() => newToken())
  await insertTokens(
    db,
    requests.map((r, i) => ({
      token_hash: hashToken(tokens[i]),
      signature_id: signatureId,
      purpose: r.purpose,
      created_at: now,
      expires_at: now + r.ttl,
      used_at: null,
      news_update_id: null,
    })),
  )
  return tokens
}

const link = (appUrl: string, kind: string, token: string, locale: string) => `${appUrl}/s/${kind}/${token}?lang=${locale}`

/**
 * Links every email to a signer carries: withdraw always, unsubscribe where they opted in to the
 * campaign's news or to a partner's emails (its page stops either or both, ADR 131). Both are MACs
 * (ADR 120), so no row is written; a news email's unsubscribe link names its update, which counts
 * the unsubscribes it caused. The one-click header (RFC 8058) is the campaign's news only: it stops
 * the list the email came from.
 */
export function footerLinks(
  deps: Pick<SignerDeps, 'appUrl' | 'vault'>,
  signatureId: string,
  locale: string,
  newsOptIn: boolean,
  newsUpdateId: string | null = null,
  partnerOptIn = false,
) {
  const keys = deps.vault.linkKeys
  const withdrawUrl = link(deps.appUrl, 'withdraw', makeLinkToken(keys, 'withdraw', { signatureId, newsUpdateId: null, expiresAt: null }), locale)
  const unsubscribeUrl =
    newsOptIn || partnerOptIn ? link(deps.appUrl, 'unsubscribe', makeLinkToken(keys, 'unsubscribe', { signatureId, newsUpdateId, expiresAt: null }), locale) : null
  const headers: Record<string, string> | undefined =
    unsubscribeUrl && newsOptIn ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : undefined
  const unsubscribeLabel: 'news' | 'choices' = partnerOptIn ? 'choices' : 'news'
  return { withdrawUrl, unsubscribeUrl, unsubscribeLabel, headers }
}

/** The inclusion link's token: a MAC with its expiry inside (ADR 120). */
export const inclusionToken = (vault: Vault, signatureId: string, now: number) =>
  makeLinkToken(vault.linkKeys, 'inclusion', { signatureId, newsUpdateId: null, expiresAt: now + LINK_TOKEN_TTL })

/** Counts one more email to this signer, or says the cap for the window is reached. */
function withinEmailCap(sig: Pick<Signature, 'emails_in_window' | 'email_window_started_at'>, now: number) {
  const fresh = now - sig.email_window_started_at >= EMAIL_WINDOW
  const used = fresh ? 0 : sig.emails_in_window
  if (used >= EMAILS_PER_WINDOW) return null
  return { emails_in_window: used + 1, email_window_started_at: fresh ? now : sig.email_window_started_at }
}

/**
 * Records a signature, or refreshes a pending one, and queues the right email, in one transaction.
 * The outcome is for logs and tests only: the page says "check your email" whatever it is, so
 * nobody learns from it whether an address has signed.
 */
export async function signCampaign(deps: SignerDeps, req: SignRequest): Promise<SignOutcome> {
  if (req.campaign.status !== 'open') return 'closed'
  const now = deps.now ?? Date.now()
  const { vault } = deps
  const { input, locale } = req
  const canonical = canonicalEmail(input.email)
  const emailHash = vault.emailHash(canonical)
  const emailDomainHash = vault.domainHash(emailDomain(input.email))

  const details = {
    email_enc: vault.encrypt(input.email),
    name_enc: vault.encrypt(input.name),
    country_code: input.country,
    locale,
    show_name: input.showName ? 1 : 0,
    news_opt_in: input.newsOptIn ? 1 : 0,
    // A pending signature takes the latest form's partner and its consent together, so a tick can only
    // ever be for the partner named beside it (ADR 131).
    partner_id: req.partnerId ?? null,
    partner_opt_in: req.partnerId && req.partnerOptIn ? 1 : 0,
    ip_hash: req.ipHash,
    // Where someone's IP is can say where they really are: encrypted, with only a match flag in clear (ADR 089).
    ip_country: null,
    ip_country_enc: req.ipCountry ? vault.encrypt(req.ipCountry) : null,
    ip_country_differs: req.ipCountry ? (req.ipCountry === input.country ? 0 : 1) : null,
    email_domain_hash: emailDomainHash,
    updated_at: now,
  }

  const labels = attributionLabels(vault, req.referrer ?? null, req.utm ?? null)
  return (deps.writes ?? eachInOwnTransaction(deps.db)).run(async (trx) => {
    await rememberLabels(trx, vault, [labels.referrer, labels.utm], now)
    // Time-ordered, so the primary key and the tokens' and outbox's signature_id indexes grow at one end.
    let signatureId = timeOrderedId()
    const inserted = await insertSignature(trx, [
      {
        id: signatureId,
        campaign_id: req.campaign.id,
        status: 'pending',
        email_hash: emailHash,
        ...details,
        // Where they came from, as opaque hashes only; the labels are stored once, encrypted (ADR 089).
        referrer: null,
        utm_source: null,
        utm_medium: null,
        utm_campaign: null,
        referrer_hash: labels.referrer?.hash ?? null,
        utm_hash: labels.utm?.hash ?? null,
        emails_in_window: 1,
        email_window_started_at: now,
        created_at: now,
        confirmed_at: null,
      },
    ])

    if (Number(inserted.numAffectedRows ?? 0) === 0) {
      const existing = await trx
        .selectFrom('signatures')
        .select(['id', 'status', 'emails_in_window', 'email_window_started_at', 'news_opt_in', 'partner_opt_in', 'locale'])
        .where('campaign_id', '=', req.campaign.id)
        .where('email_hash', '=', emailHash)
        .executeTakeFirstOrThrow()
      const cap = withinEmailCap(existing, now)
      if (!cap) return 'capped'
      signatureId = existing.id

      // A confirmed signature's choices are not changed by the form: anyone can type an address, so
      // signing again can neither give a partner consent nor take news away; the email's links can (ADR 131).
      if (existing.status !== 'pending') {
        await trx.updateTable('signatures').set({ ...cap, updated_at: now }).where('id', '=', existing.id).execute()
        const signerLocale = existing.locale as Locale
        const links = footerLinks(deps, existing.id, signerLocale, existing.news_opt_in === 1, null, existing.partner_opt_in === 1)
        // The whole email in the signer's language, the campaign's title included.
        const signerTitle = signerLocale === req.locale ? req.title : ((await campaignTitleIn(trx, req.campaign.id, signerLocale)) ?? req.title)
        await enqueueEmail(trx, vault, {
          template: 'already-signed',
          locale: signerLocale,
          to: input.email,
          props: {
            locale: signerLocale,
            campaignTitle: signerTitle,
            campaignUrl: `${deps.appUrl}/campaigns/${req.campaign.slug}?lang=${signerLocale}`,
            withdrawUrl: links.withdrawUrl,
            unsubscribeUrl: links.unsubscribeUrl,
            unsubscribeLabel: links.unsubscribeLabel,
          },
          headers: links.headers,
          signatureId: existing.id,
          campaignId: req.campaign.id,
        }, now)
        return 'already-signed-sent'
      }

      // A pending signature takes the latest details: the email shows them before they count. Its
      // old confirm link stops working, and a stored inclusion link from before ADR 120 goes too.
      await trx.updateTable('signatures').set({ ...details, ...cap }).where('id', '=', existing.id).execute()
      await trx.deleteFrom('tokens').where('signature_id', '=', signatureId).where('purpose', 'in', ['confirm', 'inclusion']).execute()
    }
    // The confirm link is the one stored token: it proves control of the inbox, so it is random and
    // single-use. The inclusion check (the signer checks the letter later) and the footer are MACs.
    const [confirmToken] = await issueTokens(trx, signatureId, [{ purpose: 'confirm', ttl: CONFIRM_TOKEN_TTL }], now)
    const links = footerLinks(deps, signatureId, locale, input.newsOptIn, null, details.partner_opt_in === 1)
    await enqueueEmail(trx, vault, {
      template: 'confirm-signature',
      locale,
      to: input.email,
      props: {
        locale,
        name: input.name,
        campaignTitle: req.title,
        countryName: countryName(input.country, locale),
        confirmUrl: link(deps.appUrl, 'confirm', confirmToken, locale),
        withdrawUrl: links.withdrawUrl,
        unsubscribeUrl: links.unsubscribeUrl,
        unsubscribeLabel: links.unsubscribeLabel,
        retentionDays: deps.retentionDays,
        inclusionUrl: link(deps.appUrl, 'inclusion', inclusionToken(vault, signatureId, now), locale),
        logSecret: vault.logSecret(signatureId),
      },
      headers: links.headers,
      signatureId,
      campaignId: req.campaign.id,
    }, now)
    return 'confirmation-sent'
  })
}

/**
 * "Send me a new link": the same as signing again with only the address, so it reveals nothing
 * either; an address with no signature gets no email.
 */
export async function resendConfirmation(
  deps: SignerDeps,
  campaign: { id: string; slug: string; status: string; ends_at?: number | null; victory_at?: number | null },
  title: string,
  email: string,
): Promise<SignOutcome | 'unknown'> {
  if (effectiveStatus(campaign) !== 'open') return 'closed'
  const row = await deps.db
    .selectFrom('signatures')
    .selectAll()
    .where('campaign_id', '=', campaign.id)
    .where('email_hash', '=', deps.vault.emailHash(canonicalEmail(email)))
    .executeTakeFirst()
  if (!row) return 'unknown'
  // The new link goes out in the language the signer signed in, title and all, not the resend page's.
  const locale = row.locale as Locale
  return signCampaign(deps, {
    campaign,
    title: (await campaignTitleIn(deps.db, campaign.id, locale)) ?? title,
    locale,
    ipHash: row.ip_hash,
    ipCountry: row.ip_country_enc ? deps.vault.decrypt(row.ip_country_enc) : row.ip_country,
    input: {
      name: deps.vault.decrypt(row.name_enc),
      email,
      country: row.country_code,
      showName: row.show_name === 1,
      newsOptIn: row.news_opt_in === 1,
    },
    // The partner and its consent stay as signed: a new link is not a new form.
    partnerId: row.partner_id,
    partnerOptIn: row.partner_opt_in === 1,
  })
}

export type TokenState =
  | {
      state: 'valid' | 'expired' | 'used'
      signatureId: string
      signatureStatus: string
      campaignId: string
      campaignSlug: string
      campaignStatus: string
      /** The news update whose email carried a MAC unsubscribe link; a stored link keeps it in its row. */
      newsUpdateId?: string | null
    }
  | { state: 'invalid' }

/**
 * What a link's token says: a MAC link (ADR 120) for a purpose that has one, or a stored token. A
 * MAC that does not verify, for whatever reason, is `invalid`, as an unknown stored token is.
 */
export async function inspectToken(db: DB, vault: Vault, token: string, purpose: TokenPurpose, now = Date.now()): Promise<TokenState> {
  if (!token || token.length > 128) return { state: 'invalid' }
  if (isLinkMac(token)) return purpose === 'confirm' ? { state: 'invalid' } : inspectLinkMac(db, vault, token, purpose, now)
  return inspectStoredToken(db, token, purpose, now)
}

async function inspectStoredToken(db: DB, token: string, purpose: TokenPurpose, now: number): Promise<TokenState> {
  if (!token || token.length > 128) return { state: 'invalid' }
  const row = await db
    .selectFrom('tokens')
    .innerJoin('signatures', 'signatures.id', 'tokens.signature_id')
    .innerJoin('campaigns', 'campaigns.id', 'signatures.campaign_id')
    .select([
      'tokens.expires_at',
      'tokens.used_at',
      'signatures.id as signatureId',
      'signatures.status as signatureStatus',
      'campaigns.id as campaignId',
      'campaigns.slug as campaignSlug',
      'campaigns.status as campaignStatus',
      'campaigns.ends_at as campaignEndsAt',
      'campaigns.victory_at as campaignVictoryAt',
    ])
    .where('tokens.token_hash', '=', hashToken(token))
    .where('tokens.purpose', '=', purpose)
    .executeTakeFirst()
  if (!row) return { state: 'invalid' }
  const state = row.used_at !== null ? 'used' : row.expires_at <= now ? 'expired' : 'valid'
  return {
    state,
    signatureId: row.signatureId,
    signatureStatus: row.signatureStatus,
    campaignId: row.campaignId,
    campaignSlug: row.campaignSlug,
    // Past its end date or after a victory an open campaign confirms nothing more (ADR 108).
    campaignStatus: effectiveStatus({ status: row.campaignStatus, ends_at: row.campaignEndsAt, victory_at: row.campaignVictoryAt }, now),
  }
}

async function inspectLinkMac(db: DB, vault: Vault, token: string, purpose: LinkPurpose, now: number): Promise<TokenState> {
  const claims = readLinkToken(vault.linkKeys, token, purpose, now)
  if (!claims) return { state: 'invalid' }
  const row = await db
    .selectFrom('signatures')
    .innerJoin('campaigns', 'campaigns.id', 'signatures.campaign_id')
    .select([
      'signatures.status as signatureStatus',
      'signatures.news_opt_in as newsOptIn',
      'signatures.partner_opt_in as partnerOptIn',
      'campaigns.id as campaignId',
      'campaigns.slug as campaignSlug',
      'campaigns.status as campaignStatus',
      'campaigns.ends_at as campaignEndsAt',
      'campaigns.victory_at as campaignVictoryAt',
    ])
    .where('signatures.id', '=', claims.signatureId)
    .executeTakeFirst()
  // A withdrawn signature is gone, and its links with it: the same answer as a link never made.
  if (!row) return { state: 'invalid' }
  return {
    // An unsubscribe MAC is never spent, but once its signer has stopped everything it says so, as a used stored link does.
    state: purpose === 'unsubscribe' && Number(row.newsOptIn) === 0 && Number(row.partnerOptIn) === 0 ? 'used' : 'valid',
    signatureId: claims.signatureId,
    signatureStatus: row.signatureStatus,
    campaignId: row.campaignId,
    campaignSlug: row.campaignSlug,
    campaignStatus: effectiveStatus({ status: row.campaignStatus, ends_at: row.campaignEndsAt, victory_at: row.campaignVictoryAt }, now),
    newsUpdateId: claims.newsUpdateId,
  }
}

export type ConfirmOutcome =
  | { kind: 'confirmed' | 'already-confirmed'; campaignSlug: string }
  | { kind: 'expired' | 'used' | 'closed'; campaignSlug: string }
  | { kind: 'invalid' }

/**
 * Confirms a signature: the token is spent, the signature counted, and the counters moved, in one
 * transaction, so counts cannot drift from signatures.
 */
export async function confirmSignature(db: DB, token: string, now = Date.now(), writes = eachInOwnTransaction(db)): Promise<ConfirmOutcome> {
  return writes.run(async (trx) => {
    const t = await inspectStoredToken(trx, token, 'confirm', now)
    if (t.state === 'invalid') return { kind: 'invalid' }
    const slug = t.campaignSlug
    if (t.signatureStatus === 'verified') return { kind: 'already-confirmed', campaignSlug: slug }
    if (t.state !== 'valid') return { kind: t.state, campaignSlug: slug }
    if (t.campaignStatus !== 'open') return { kind: 'closed', campaignSlug: slug }
    await trx.updateTable('tokens').set({ used_at: now }).where('token_hash', '=', hashToken(token)).execute()
    const updated = await trx
      .updateTable('signatures')
      .set({ status: 'verified', confirmed_at: now, updated_at: now })
      .where('id', '=', t.signatureId)
      .where('status', '=', 'pending')
      .returning(['country_code', 'partner_id', 'partner_opt_in'])
      .executeTakeFirst()
    if (!updated) return { kind: 'used', campaignSlug: slug }
    await moveVerified(trx, t.campaignId, updated.country_code, 1, now)
    // The partner that brought the signer is told, through its own queue (ADR 133), only if the signer agreed
    // to hear from it: even an empty event would tell a partner when one person it sent the link to signed.
    if (updated.partner_id && updated.partner_opt_in === 1) await queueWebhook(trx, { campaignId: t.campaignId, partnerId: updated.partner_id, type: 'signature.confirmed', signatureId: t.signatureId }, now)
    // The log's entry waits for the sequencer: one small insert here (ADR 081).
    await queueLogEntries(trx, [{ campaignId: t.campaignId, kind: 'confirm', country: updated.country_code, signatureId: t.signatureId }], now)
    return { kind: 'confirmed', campaignSlug: slug }
  })
}

export type LinkOutcome = { kind: 'done'; campaignSlug: string } | { kind: 'invalid' | 'expired' | 'used' }

/**
 * Withdraws a signature: its row, tokens and unsent mail are deleted (so the name and address are
 * gone), and if it counted, the counts drop, in one transaction.
 */
export async function withdrawSignature(db: DB, vault: Vault, token: string, now = Date.now()): Promise<LinkOutcome> {
  return db.transaction().execute(async (trx) => {
    const t = await inspectToken(trx, vault, token, 'withdraw', now)
    if (t.state !== 'valid') return { kind: t.state }
    const sig = await trx
      .deleteFrom('signatures')
      .where('id', '=', t.signatureId)
      .returning(['status', 'country_code', 'partner_id', 'partner_opt_in'])
      .executeTakeFirst()
    if (!sig) return { kind: 'invalid' }
    await trx.deleteFrom('outbox').where('signature_id', '=', t.signatureId).where('status', '=', 'pending').execute()
    await forgetSignatureInWebhooks(trx, t.signatureId)
    if (sig.partner_id && sig.status === 'verified' && sig.partner_opt_in === 1) {
      // Only a signer the partner knew (opted in), by the opaque id, so it can take them off its lists (ADR 133).
      const personId = partnerPersonId(vault, sig.partner_id, t.signatureId)
      await queueWebhook(trx, { campaignId: t.campaignId, partnerId: sig.partner_id, type: 'signature.withdrawn', personId }, now)
    }
    if (sig.status === 'verified') {
      await queueLogEntries(trx, [{ campaignId: t.campaignId, kind: 'withdraw', country: sig.country_code, signatureId: t.signatureId }], now)
    }
    // A withdrawn invalidated signature no longer exists to be counted as invalidated either.
    await moveCounts(
      trx,
      t.campaignId,
      { verified: sig.status === 'verified' ? [[sig.country_code, -1]] : [], withdrawn: 1, invalidated: sig.status === 'invalidated' ? -1 : 0 },
      now,
    )
    return { kind: 'done', campaignSlug: t.campaignSlug }
  })
}

/** What an unsubscribe link stops: the campaign's news, the emails of the partner that brought the signer, or both (ADR 131). */
export type Unsubscribe = 'news' | 'partner' | 'both'

/** The consents a signature holds now, for the unsubscribe and inclusion pages: the partner by name, only while it is consented to. */
export async function signerConsents(db: DB, signatureId: string) {
  const row = await db
    .selectFrom('signatures')
    .leftJoin('partners', 'partners.id', 'signatures.partner_id')
    .select(['signatures.news_opt_in', 'signatures.partner_opt_in', 'partners.name as partnerName'])
    .where('signatures.id', '=', signatureId)
    .executeTakeFirst()
  if (!row) return null
  return { news: row.news_opt_in === 1, partner: row.partner_opt_in === 1 && row.partnerName ? row.partnerName : null }
}

/**
 * Unsubscribes a signer from the campaign's news, from the partner's emails, or both; a MAC link
 * (ADR 120) does so as often as it is followed, changing nothing after the first. Stopping the
 * partner's emails takes the signer out of the partner's next export; what it downloaded before is
 * its own to delete (ADR 131).
 */
export async function unsubscribeSigner(db: DB, vault: Vault, token: string, now = Date.now(), what: Unsubscribe = 'news'): Promise<LinkOutcome> {
  return db.transaction().execute(async (trx) => {
    const t = await inspectToken(trx, vault, token, 'unsubscribe', now)
    if (t.state === 'used') return { kind: 'done', campaignSlug: t.campaignSlug }
    if (t.state !== 'valid') return { kind: t.state }
    const used = isLinkMac(token)
      ? { news_update_id: t.newsUpdateId ?? null }
      : await trx.updateTable('tokens').set({ used_at: now }).where('token_hash', '=', hashToken(token)).returning('news_update_id').executeTakeFirst()
    if (what !== 'news') {
      await trx.updateTable('signatures').set({ partner_opt_in: 0, updated_at: now }).where('id', '=', t.signatureId).where('partner_opt_in', '=', 1).execute()
    }
    if (what === 'partner') return { kind: 'done', campaignSlug: t.campaignSlug }
    const signer = await trx.updateTable('signatures').set({ news_opt_in: 0, updated_at: now }).where('id', '=', t.signatureId).where('news_opt_in', '=', 1).executeTakeFirst()
    // Counted against the update whose email carried the link, once per signer who was still subscribed.
    if (used?.news_update_id && Number(signer.numUpdatedRows) === 1) {
      await trx.updateTable('news_updates').set((eb) => ({ unsubscribe_count: eb('unsubscribe_count', '+', 1) })).where('id', '=', used.news_update_id).execute()
    }
    return { kind: 'done', campaignSlug: t.campaignSlug }
  })
}

/**
 * Rows a purge removes per transaction: each slice is short, and the server serves between slices
 * (#10). A signature deleted touches a dozen indexes and its mail's: 1,000 a slice held readers up to
 * 1.2 s at 1,000,000 signatures (ADR 138).
 */
export const PURGE_SLICE = 200

/**
 * Deletes what the retention rules say is no longer needed, in slices of `slice` rows, each in its
 * own short transaction with a turn of the event loop between them: 100,000 expired signatures used
 * to be one transaction that froze the site for seconds. A purge cut short (a crash, a stop) leaves
 * whole slices done and the rest for the next run.
 *
 * The rows to go are picked on `readDb` (the read worker on SQLite, ADR 111): finding old tokens and
 * sent mail reads through tables with no index on those times, which on the serving connection
 * stalled every reader for two seconds at 1,000,000 signatures (#10); those picks go on in key order,
 * so the table is read once, not once a slice. Each slice is deleted on `db`, checked again there.
 */
export async function purgeExpired(db: DB, retentionDays: number, now = Date.now(), slice = PURGE_SLICE, readDb = db) {
  const cutoff = now - retentionDays * DAY
  const signatures = await inSlices(
    slice,
    async () =>
      (await readDb.selectFrom('signatures').select('id').where('status', '=', 'pending').where('created_at', '<', cutoff).limit(slice).execute()).map((r) => r.id),
    (ids) =>
      db.transaction().execute(async (trx) => {
        // Checked again inside the transaction: a signature confirmed since it was picked stays, with its mail.
        await trx
          .deleteFrom('outbox')
          .where('status', '=', 'pending')
          .where('signature_id', 'in', (eb) => eb.selectFrom('signatures').select('id').where('id', 'in', ids).where('status', '=', 'pending'))
          .execute()
        return Number((await trx.deleteFrom('signatures').where('id', 'in', ids).where('status', '=', 'pending').executeTakeFirst()).numDeletedRows)
      }),
  )
  // Expired tokens stay while their signature may still ask for a fresh link.
  const tokens = await inSlices(
    slice,
    // In key order from the last slice's end: with no index on expiry, each pick from the start would read the table again.
    async (after) =>
      (
        await readDb
          .selectFrom('tokens')
          .select('token_hash')
          .where('expires_at', '<', cutoff)
          .$if(after !== null, (qb) => qb.where('token_hash', '>', after!))
          .orderBy('token_hash')
          .limit(slice)
          .execute()
      ).map((r) => r.token_hash),
    async (keys) => Number((await db.deleteFrom('tokens').where('token_hash', 'in', keys).where('expires_at', '<', cutoff).executeTakeFirst()).numDeletedRows),
  )
  const sentBefore = now - 30 * DAY
  await inSlices(
    slice,
    async (after) =>
      (
        await readDb
          .selectFrom('outbox')
          .select('id')
          .where('status', '!=', 'pending')
          .where('created_at', '<', sentBefore)
          .$if(after !== null, (qb) => qb.where('id', '>', after!))
          .orderBy('id')
          .limit(slice)
          .execute()
      ).map((r) => r.id),
    async (keys) => Number((await db.deleteFrom('outbox').where('id', 'in', keys).where('status', '!=', 'pending').executeTakeFirst()).numDeletedRows),
  )
  return { signatures, tokens }
}

/**
 * Picks up to `slice` keys and removes them, again until fewer come back, paced between slices.
 * `pick` is given the last key of the slice before (null at first), for a pick that goes on in key order.
 */
async function inSlices(slice: number, pick: (after: string | null) => Promise<string[]>, remove: (keys: string[]) => Promise<number>) {
  let total = 0
  let after: string | null = null
  const pause = pacer()
  for (;;) {
    const keys = await pick(after)
    if (keys.length > 0) total += await remove(keys)
    if (keys.length < slice) return total
    after = keys[keys.length - 1]
    await pause()
  }
}
