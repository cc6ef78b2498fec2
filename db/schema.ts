import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/**
 * The database, as the application sees it. Times are integer epoch milliseconds everywhere;
 * booleans are 0/1 integers; personal data columns ending in `_enc` hold AES-256-GCM ciphertext.
 */
export interface Database {
  campaigns: CampaignTable
  campaign_translations: CampaignTranslationTable
  campaign_counts: CampaignCountTable
  country_counts: CountryCountTable
  signatures: SignatureTable
  partners: PartnerTable
  // Partners' read API and webhooks (migration 027, ADR 133)
  partner_api_keys: PartnerApiKeyTable
  webhook_outbox: WebhookOutboxTable
  webhook_attempts: WebhookAttemptTable
  campaign_images: CampaignImageTable
  tokens: TokenTable
  outbox: OutboxTable
  dev_mailbox: DevMailboxTable
  organisers: OrganiserTable
  sessions: SessionTable
  organiser_tokens: OrganiserTokenTable
  audit_log: AuditLogTable
  signature_events: SignatureEventTable
  invalidation_batches: InvalidationBatchTable
  news_updates: NewsUpdateTable
  news_update_translations: NewsUpdateTranslationTable
  campaign_country_goals: CampaignCountryGoalTable
  campaign_milestones: CampaignMilestoneTable
  missions: MissionTable
  campaign_letter_copy: CampaignLetterCopyTable
  letter_versions: LetterVersionTable
  letter_jobs: LetterJobTable
  letter_deliveries: LetterDeliveryTable
  delivery_events: DeliveryEventTable
  mission_links: MissionLinkTable
  mission_responses: MissionResponseTable
  // Several app processes on one database (migration 006)
  leases: LeaseTable
  email_pacing: EmailPacingTable
  rate_limits: RateLimitTable
  // Letter PDFs: the letters a generation job could not make, one row per state
  letter_job_failures: LetterJobFailureTable
  // --- Letter form (issue 11) ---
  campaign_letter_settings: CampaignLetterSettingsTable
  un_addressees: UnAddresseeTable
  campaign_un_addressees: CampaignUnAddresseeTable
  // Safety against a state adversary (migration 009-safety).
  campaign_risk_states: CampaignRiskStateTable
  key_checks: KeyCheckTable
  attribution_labels: AttributionLabelTable
  // Transparency log (issue 12, ADR 081)
  log_pending: LogPendingTable
  log_entries: LogEntryTable
  log_hashes: LogHashTable
  log_checkpoints: LogCheckpointTable
  log_keys: LogKeyTable
  log_cosignatures: LogCosignatureTable
  // Second factors (migration 012-second-factor, ADR 094)
  organiser_totp: OrganiserTotpTable
  organiser_recovery_codes: OrganiserRecoveryCodeTable
  organiser_passkeys: OrganiserPasskeyTable
  auth_challenges: AuthChallengeTable
  log_backfill: LogBackfillTable
  // Paper signatures (migration 028, ADR 134): never rows of `signatures`
  paper_batches: PaperBatchTable
  paper_signatures: PaperSignatureTable
  campaign_paper_settings: CampaignPaperSettingsTable
}

export type CampaignStatus = 'draft' | 'open' | 'closed' | 'archived'

export interface CampaignTable {
  id: string
  slug: string
  status: CampaignStatus
  default_locale: string
  goal: number
  /** JSON array of { title, publisher, date, url } */
  sources_json: string
  sort_order: number
  created_at: number
  updated_at: number
  /** After this instant the campaign is closed whatever its status (migration 015). */
  ends_at: ColumnType<number | null, number | null | undefined, number | null>
  /** When an organiser declared a victory (migration 015). */
  victory_at: ColumnType<number | null, number | null | undefined, number | null>
  /** JSON array of the origins allowed to frame the embed form (migration 024); null: none. */
  embed_origins: ColumnType<string | null, string | null | undefined, string | null>
}

export interface CampaignTranslationTable {
  campaign_id: string
  locale: string
  title: string
  summary: string
  /** Markdown */
  story_md: string
  /** Markdown */
  ask_md: string
  updated_at: number
  /** The short text of a victory in this language (migration 015). */
  victory_text: ColumnType<string | null, string | null | undefined, string | null>
}

export interface CampaignCountTable {
  campaign_id: string
  verified_count: number
  withdrawn_count: number
  invalidated_count: number
  updated_at: number
}

export interface CountryCountTable {
  campaign_id: string
  country_code: string
  verified_count: number
}

export type SignatureStatus = 'pending' | 'verified' | 'invalidated'

export interface SignatureTable {
  id: string
  campaign_id: string
  status: SignatureStatus
  email_hash: string
  email_enc: string
  name_enc: string
  country_code: string
  locale: string
  show_name: number
  news_opt_in: number
  ip_hash: string | null
  referrer: string | null
  utm_source: string | null
  utm_medium: string | null
  utm_campaign: string | null
  emails_in_window: number
  email_window_started_at: number
  created_at: number
  updated_at: number
  confirmed_at: number | null
  /** Keyed hash of the email's domain (migration 005); null until backfilled on older rows. */
  email_domain_hash: ColumnType<string | null, string | null | undefined, string | null>
  /** Country of the signer's IP, looked up offline at signing; the IP itself is never kept. Null since 009 (moved to `ip_country_enc`). */
  ip_country: ColumnType<string | null, string | null | undefined, string | null>
  /** The same, encrypted (migration 009-safety, ADR 089). */
  ip_country_enc: ColumnType<string | null, string | null | undefined, string | null>
  /** 1 when the IP's country differs from the declared one, 0 when it matches, null when unknown. */
  ip_country_differs: ColumnType<number | null, number | null | undefined, number | null>
  /** Keyed hash of the referring host (its label in `attribution_labels`); `referrer` stays null since 009. */
  referrer_hash: ColumnType<string | null, string | null | undefined, string | null>
  /** Keyed hash of the utm tags (label in `attribution_labels`); the `utm_*` columns stay null since 009. */
  utm_hash: ColumnType<string | null, string | null | undefined, string | null>
  /** The partner whose link brought the signer (migration 021, ADR 122). */
  partner_id: ColumnType<string | null, string | null | undefined, string | null>
  /** 1 when the signer agreed that the partner that brought them may email them (migration 024). */
  partner_opt_in: ColumnType<number, number | undefined, number>
}

/** An organisation promoting a campaign with its own link (migration 021, ADR 122). */
export interface PartnerTable {
  id: string
  campaign_id: string
  /** Random handle in the share link (`?via=`). */
  ref: string
  name: string
  url: string | null
  privacy_url: string | null
  contact_email_enc: string | null
  logo: Buffer | null
  logo_type: string | null
  created_at: number
  updated_at: number
  removed_at: number | null
  /** The partner's webhook endpoint, the events it takes (space-separated) and its sealed whsec_ secret (migration 027). */
  webhook_url: ColumnType<string | null, string | null | undefined, string | null>
  webhook_events: ColumnType<string | null, string | null | undefined, string | null>
  webhook_secret_enc: ColumnType<string | null, string | null | undefined, string | null>
}

/** A partner's key to the read API: only its SHA-256 is kept (migration 027, ADR 133). */
export interface PartnerApiKeyTable {
  id: string
  partner_id: string
  campaign_id: string
  /** The key's first characters, shown on the admin page to tell keys apart. */
  prefix: string
  key_hash: string
  /** Space-separated scopes: campaign:read, people:read. */
  scopes: string
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

export type WebhookEvent = 'signature.confirmed' | 'signature.withdrawn'

/** One event for one partner's endpoint, until delivered; never a body (migration 027). */
export interface WebhookOutboxTable {
  /** Time-ordered; `msg_<id>` is the webhook-id, the same on every attempt. */
  id: string
  partner_id: string
  campaign_id: string
  event: WebhookEvent
  signature_id: string | null
  person_id: string | null
  occurred_at: number
  status: OutboxStatus
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: number
  claimed_until: ColumnType<number | null, number | null | undefined, number | null>
  failing_since: ColumnType<number | null, number | null | undefined, number | null>
  created_at: number
  sent_at: ColumnType<number | null, number | null | undefined, number | null>
}

/** The delivery log: one row per attempt (migration 027). */
export interface WebhookAttemptTable {
  id: Generated<number>
  delivery_id: string
  partner_id: string
  event: string
  attempt: number
  at: number
  status_code: number | null
  error: string | null
}

/** A campaign's lead image, re-encoded at upload, with its alt text per language (migration 022, ADR 114). */
export interface CampaignImageTable {
  campaign_id: string
  large: Buffer
  small: Buffer
  type: string
  width: number
  height: number
  alt_json: string
  version: number
  updated_at: number
}

export type TokenPurpose = 'confirm' | 'withdraw' | 'unsubscribe' | 'inclusion'

export interface TokenTable {
  token_hash: string
  signature_id: string
  purpose: TokenPurpose
  created_at: number
  expires_at: number
  used_at: number | null
  /** The news update whose email carried this unsubscribe link (migration 016). */
  news_update_id: ColumnType<string | null, string | null | undefined, string | null>
}

export type OutboxStatus = 'pending' | 'sent' | 'failed'

export interface OutboxTable {
  id: string
  template: string
  locale: string
  /** encrypted JSON { to, props }: cleared once the message is sent; kept when it fails for good, so the link can go again */
  payload_enc: string | null
  status: OutboxStatus
  attempts: number
  next_attempt_at: number
  last_error: string | null
  provider_id: string | null
  signature_id: string | null
  campaign_id: string | null
  created_at: number
  sent_at: number | null
  /** Messages sharing a key go to the provider in one batch call (migration 005). */
  batch_key: ColumnType<string | null, string | null | undefined, string | null>
  news_update_id: ColumnType<string | null, string | null | undefined, string | null>
  /** Claimed by one process until then, while it sends the row (migration 006). */
  claimed_until: ColumnType<number | null, number | null | undefined, number | null>
  /** 0 transactional, 1 news: every due row of lane 0 goes before any of lane 1 (migration 013). */
  lane: ColumnType<number, number | undefined, number>
  /** The wall-clock time next_attempt_at was written (migration 013). */
  scheduled_at: ColumnType<number | null, number | null | undefined, number | null>
  /** When the provider first failed the message; retried until 72 hours after (migration 013). */
  failing_since: ColumnType<number | null, number | null | undefined, number | null>
  /** A news message's fate after sending, from Resend's webhook: delivered, bounced, complained (migration 016). */
  delivery_status: ColumnType<string | null, string | null | undefined, string | null>
}

export interface DevMailboxTable {
  id: Generated<number>
  outbox_id: string
  to_address: string
  subject: string
  html: string
  text: string
  created_at: number
}

export type Campaign = Selectable<CampaignTable>
export type NewCampaign = Insertable<CampaignTable>
export type CampaignTranslation = Selectable<CampaignTranslationTable>
export type Signature = Selectable<SignatureTable>
export type NewSignature = Insertable<SignatureTable>
export type SignatureUpdate = Updateable<SignatureTable>
export type OutboxRow = Selectable<OutboxTable>

export type Role = 'admin' | 'organiser' | 'viewer'

export interface OrganiserTable {
  id: string
  email_hash: string
  email_enc: string
  /** Empty since migration 009: the name is in `name_enc` (ADR 089). */
  name: string
  name_enc: ColumnType<string | null, string | null | undefined, string | null>
  role: Role
  /** argon2id; null until the organiser sets a password through their one-time link */
  password_hash: string | null
  failed_logins: number
  locked_until: number | null
  disabled_at: number | null
  created_at: number
  updated_at: number
  /** random WebAuthn user handle (base64url), made at the first passkey; never the email */
  webauthn_user_id: ColumnType<string | null, string | null | undefined, string | null>
  /** Set: a partner's organiser, limited to that one partner of its campaign (migration 025, ADR 131). */
  partner_id: ColumnType<string | null, string | null | undefined, string | null>
}

export interface SessionTable {
  /** SHA-256 of the session id held in the cookie */
  id_hash: string
  organiser_id: string
  created_at: number
  expires_at: number
  last_seen_at: number
  ip_hash: string | null
  user_agent: string | null
}

export interface OrganiserTotpTable {
  organiser_id: string
  /** the base32 secret, sealed with the vault */
  secret_enc: string
  /** null until a first code from the app confirmed it */
  confirmed_at: number | null
  /** the newest 30-second step a code was accepted for: no code of it or before is accepted again */
  last_step: number | null
  created_at: number
}

export interface OrganiserRecoveryCodeTable {
  code_hash: string
  organiser_id: string
  created_at: number
  used_at: number | null
}

export interface OrganiserPasskeyTable {
  /** base64url, as the authenticator gave it */
  credential_id: string
  organiser_id: string
  public_key: Buffer
  counter: number
  /** JSON array of transports, or null */
  transports: string | null
  created_at: number
  last_used_at: number | null
}

export type AuthChallengePurpose = 'second-factor' | 'passkey-sign-in' | 'passkey-register'

export interface AuthChallengeTable {
  challenge_hash: string
  purpose: AuthChallengePurpose
  /** SHA-256 of the flow cookie's value, or of the session id, this challenge belongs to */
  binding_hash: string
  organiser_id: string | null
  attempts: number
  created_at: number
  expires_at: number
}

export type OrganiserTokenPurpose = 'set-password' | 'reset-password'

export interface OrganiserTokenTable {
  token_hash: string
  organiser_id: string
  purpose: OrganiserTokenPurpose
  created_at: number
  expires_at: number
  used_at: number | null
  /** The news update whose email carried this unsubscribe link (migration 016). */
  news_update_id: ColumnType<string | null, string | null | undefined, string | null>
}

export interface AuditLogTable {
  id: string
  organiser_id: string | null
  action: string
  target: string | null
  details_json: string
  ip_hash: string | null
  created_at: number
}

export type Organiser = Selectable<OrganiserTable>
export type AuditEntry = Selectable<AuditLogTable>

export type SignatureEventAction = 'invalidated' | 'restored'

export interface SignatureEventTable {
  id: string
  signature_id: string
  campaign_id: string
  action: SignatureEventAction
  batch_id: string | null
  organiser_id: string | null
  reason: string | null
  created_at: number
}

export interface InvalidationBatchTable {
  id: string
  campaign_id: string
  /** The rule as applied: { domain?, ipHash?, country?, from?, to? } (the domain in clear). */
  rule_json: string
  reason: string | null
  organiser_id: string | null
  count: number
  created_at: number
  undone_at: number | null
  undone_by: string | null
  /** Where the batch is (ADR 112): applied and undone a slice at a time. */
  state: Generated<InvalidationBatchState>
  /** Signatures the batch has invalidated so far (restored so far while undoing). */
  done_count: Generated<number>
  /** When a process last worked on it: one whose heartbeat stopped is resumed by another. */
  heartbeat_at: number | null
}

export type InvalidationBatchState = 'applying' | 'done' | 'undoing' | 'undone'

export type NewsUpdateStatus = 'draft' | 'scheduled' | 'queueing' | 'queued'

export interface NewsUpdateTable {
  id: string
  campaign_id: string
  status: NewsUpdateStatus
  default_locale: string
  created_by: string | null
  sent_by: string | null
  queued_count: number
  cursor: string | null
  created_at: number
  updated_at: number
  send_started_at: number | null
  queued_at: number | null
  /** When a 'scheduled' update leaves (migration 016). */
  scheduled_for: ColumnType<number | null, number | null | undefined, number | null>
  /** The last test send to the organiser's own address (migration 016). */
  test_sent_at: ColumnType<number | null, number | null | undefined, number | null>
  /** Signers who unsubscribed through this update's link (migration 016). */
  unsubscribe_count: ColumnType<number, number | undefined, number>
  /** 1: on the campaign's public list and Atom feed once sent (migration 015). */
  is_public: ColumnType<number, number | undefined, number>
}

export interface NewsUpdateTranslationTable {
  update_id: string
  locale: string
  subject: string
  /** Markdown */
  body_md: string
  updated_at: number
}

export type NewsUpdate = Selectable<NewsUpdateTable>
export interface CampaignCountryGoalTable {
  campaign_id: string
  country_code: string
  goal: number
}
// Letters to delegations (migration 004-letters).

export type MissionHeadTitle = 'representative' | 'observer'
/** The UN office a mission is accredited to (migration 010): New York and Geneva first, others where a state keeps one. */
export type MissionOffice = 'new-york' | 'geneva' | 'vienna' | 'nairobi'
/** 'set' once an organiser has confirmed or changed the starting table's proposal. */
export type LanguageConfidence = 'high' | 'med' | 'low' | 'set'

export interface MissionTable {
  country_code: string
  status: 'member' | 'observer'
  head_title: MissionHeadTitle
  /** en, fr, es, ar, ru or zh */
  language: string
  language_confidence: LanguageConfidence
  office: MissionOffice
  postal_address: string
  /** Addresses separated by commas; empty: delivered by hand or post. */
  emails: string
  notes: string
  updated_at: number
  updated_by: string | null
}

export interface CampaignLetterCopyTable {
  campaign_id: string
  language: string
  title: string
  context: string
  ask_intro: string
  /** JSON array of strings */
  ask_items_json: string
  signatory: string
  updated_at: number
}

/** One immutable snapshot of a letter; never updated once written. */
export interface LetterVersionTable {
  id: string
  campaign_id: string
  country_code: string
  version: number
  code: string
  reference: string
  language: string
  city: string
  country_count: number
  total_count: number
  country_total: number
  named_count: number
  /** encrypted JSON of the letter's text (LetterDocument), names of the annex included */
  content_enc: string
  /** the sorted 32-byte Merkle leaves, concatenated */
  leaves: Buffer
  merkle_root: string
  certificate_json: string
  certificate_sig: string
  text_sha256: string
  pdf: Buffer
  pdf_sha256: string
  created_by: string | null
  created_at: number
  /** the log checkpoint the letter was counted from (migration 008; null on older letters) */
  log_size: ColumnType<number | null, number | null | undefined, number | null>
  log_root: ColumnType<string | null, string | null | undefined, string | null>
  /** a UN office holder's id when the letter goes to one (country_code 'UN'); null for a mission (migration 010) */
  addressee: ColumnType<string | null, string | null | undefined, string | null>
}

export interface LetterJobTable {
  id: string
  campaign_id: string
  status: 'running' | 'done' | 'failed'
  total: number
  done: number
  error: string | null
  created_by: string | null
  started_at: number
  finished_at: number | null
  /** Moved on while the job runs; a stale one means the process running it stopped (migration 006). */
  heartbeat_at: ColumnType<number | null, number | null | undefined, number | null>
  /** The targets it was started with, as a JSON array; null: every target of the campaign (migration 023). */
  targets_json: ColumnType<string | null, string | null | undefined, string | null>
  /** Times a stopped process's run of it was resumed by another, and when last (ADR 130). */
  resumes: ColumnType<number, number | undefined, number>
  resumed_at: ColumnType<number | null, number | null | undefined, number | null>
  /** The most letters a run of it made before it stopped, and the runs in a row since that made no more. */
  best_done: ColumnType<number, number | undefined, number>
  stalled_resumes: ColumnType<number, number | undefined, number>
}

export type DeliveryStatus = 'scheduled' | 'sent' | 'delivered' | 'bounced' | 'complained' | 'failed' | 'delivered-by-hand' | 'posted'

export interface LetterDeliveryTable {
  id: string
  letter_version_id: string
  campaign_id: string
  country_code: string
  channel: 'email' | 'manual'
  status: DeliveryStatus
  outbox_id: string | null
  scheduled_at: number | null
  status_at: number
  note: string
  created_by: string | null
  created_at: number
}

export interface DeliveryEventTable {
  /** the webhook's svix-id, so a replayed event is applied once */
  id: string
  delivery_id: string | null
  type: string
  received_at: number
}

export interface MissionLinkTable {
  token_hash: string
  campaign_id: string
  country_code: string
  created_at: number
  expires_at: number
  bytes_used: Generated<number>
}

export interface MissionResponseTable {
  id: string
  campaign_id: string
  country_code: string
  source: 'mission' | 'organiser'
  body: string
  attachment_name: string | null
  attachment_type: string | null
  attachment: Buffer | null
  is_public: number
  recorded_by: string | null
  mission_consents: Generated<number>
  approved_by: string | null
  approved_at: number | null
  received_at: number
  created_at: number
}

export type Mission = Selectable<MissionTable>
export type LetterVersion = Selectable<LetterVersionTable>
export type LetterDelivery = Selectable<LetterDeliveryTable>
export type MissionResponse = Selectable<MissionResponseTable>

// Several app processes on one database (migration 006, ADR 065)
export interface LeaseTable {
  name: string
  holder: string
  expires_at: number
}

export interface EmailPacingTable {
  id: string
  next_slot_at: number
  paused_until: number
}

export interface RateLimitTable {
  key: string
  points: number
  expire: number | null
}

// --- Letter PDFs --------------------------------------------------------------------------------

/** A state whose letter a job could not make, after its retries; the job went on with the others. */
export interface LetterJobFailureTable {
  job_id: string
  country_code: string
  error: string
  attempts: number
  failed_at: number
}
// --- Letter form (issue 11): the sending organisation and the no-signer choice per campaign ---
export interface CampaignLetterSettingsTable {
  campaign_id: string
  sender_name: string
  /** postal address, lines separated by \n */
  sender_address: string
  sender_email: string
  signer_name: string
  signer_title: string
  write_without_signers: Generated<number>
  /** the offices letters go to, comma-separated (migration 010) */
  offices: Generated<string>
  updated_by: string | null
  updated_at: number
}
export type CampaignLetterSettings = Selectable<CampaignLetterSettingsTable>

// --- UN office holders as addressees (migration 010, ADR 090) ---
export interface UnAddresseeTable {
  id: string
  /** the office, as it stands in the address block ("Secretary-General of the United Nations") */
  office: string
  /** the title before the name ("His Excellency", "Mr."), editable */
  form_of_address: string
  salutation: string
  /** who holds the office now: organisers check it before sending */
  person_name: string
  /** 'en' or 'fr', the Secretariat's working languages */
  language: string
  city: string
  postal_address: string
  emails: string
  notes: string
  updated_at: number
  updated_by: string | null
}
export type UnAddressee = Selectable<UnAddresseeTable>
export interface CampaignUnAddresseeTable {
  campaign_id: string
  addressee_id: string
}

// Safety against a state adversary (migration 009-safety).

/** A state whose signers are at risk: their names never go to its mission nor onto public pages. */
/** "At 10,000 signatures we deliver the letters", per language (migration 015). */
export interface CampaignMilestoneTable {
  campaign_id: string
  locale: string
  threshold: number
  text: string
}

export interface CampaignRiskStateTable {
  campaign_id: string
  country_code: string
  marked_by: string | null
  marked_at: number
}

/** What an attribution hash stands for: `r:<host>` or `u:<JSON [source, medium, campaign]>`, encrypted. */
export interface AttributionLabelTable {
  hash: string
  label_enc: string
  created_at: number
}

// --- Transparency log (issue 12, ADR 081) -----------------------------------------------------

export type LogEntryKind = 'confirm' | 'restore' | 'withdraw' | 'invalidate'

/** An entry waiting for the sequencer; deleted once it is in the log. */
export interface LogPendingTable {
  id: Generated<number>
  campaign_id: string
  kind: LogEntryKind
  country_code: string
  signature_id: string
  created_at: number
}

export interface LogEntryTable {
  campaign_id: string
  idx: number
  kind: LogEntryKind
  country_code: string
  commitment: string | null
  removes: number | null
  /** the exact leaf bytes (ASCII, ending in a newline) */
  data: string
  created_at: number
}

export interface LogHashTable {
  campaign_id: string
  level: number
  idx: number
  hash: Buffer
}

export interface LogCheckpointTable {
  campaign_id: string
  size: number
  /** base64 */
  root: string
  /** the signed note */
  note: string
  key_id: string
  created_at: number
}

export interface LogKeyTable {
  verifier_key: string
  origin: string
  key_id: string
  first_used_at: number
  last_used_at: number
}

export interface LogCosignatureTable {
  campaign_id: string
  size: number
  /** the witness's cosigner verifier key (type 0x04) */
  witness_key: string
  /** the cosignature line, as the witness wrote it */
  line: string
  /** the time the witness cosigned (seconds, from its cosignature), in ms */
  cosigned_at: number
  received_at: number
}

export interface KeyCheckTable {
  name: 'hmac' | 'encryption' | 'encryption-rekey'
  value: string
  created_at: number
}

/** The cursor of the backfill of signatures confirmed before the log existed (migration 011). */
export interface LogBackfillTable {
  name: string
  after_confirmed_at: number
  after_id: string
  queued: number
  started_at: number
  updated_at: number
  finished_at: number | null
}

/** One sheet typed in or one CSV file of paper signatures, committed whole (migration 028, ADR 134). */
export interface PaperBatchTable {
  id: string
  campaign_id: string
  source: 'form' | 'csv'
  row_count: number
  entered_by: string | null
  entered_at: number
}

/** A signature gathered on paper: counted apart, never confirmed by email, never in a certificate. */
export interface PaperSignatureTable {
  id: string
  campaign_id: string
  batch_id: string
  name_enc: string
  country_code: string
  place_enc: string | null
  /** UTC midnight of the day it was signed */
  collected_at: number
  entered_by: string | null
  entered_at: number
}

export interface CampaignPaperSettingsTable {
  campaign_id: string
  /** 1: the public page states the paper total apart from the verified count */
  show_on_page: ColumnType<number, number | undefined, number>
  /** 1: each state's letter states its paper figure in a sentence of its own */
  include_in_letters: ColumnType<number, number | undefined, number>
  updated_by: string | null
  updated_at: number
}
