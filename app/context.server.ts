import type { AppConfig } from './config.server'
import type { DB } from './db.server'
import type { RateLimits } from './rate-limits.server'
import type { Writes } from './infra/group-commit.server'
import type { Presubmitted } from './use-cases/sign-submission.server'
import type { Vault } from './infra/vault.server'
import type { SlowFigures } from './infra/slow-figures.server'
import type { DashboardFigures } from './models/dashboard.server'
import type { FraudFlags } from './models/moderation.server'

/** What the server hands every loader and action (see server/app.ts). */
export interface AppContext {
  db: DB
  /**
   * For organisers' heavy reads (dashboard figures, fraud flags, rule previews, exports): on SQLite a
   * read-only connection on a worker thread, so they never stall the public site; on PostgreSQL the
   * same pool as `db` (ADR 111). Reads only: it refuses writes and transactions.
   */
  readDb: DB
  /**
   * For the figures below, computed in the background once slow: a second read worker on SQLite, so a
   * minute's aggregate never holds up the organisers' pages on `readDb`; the pool on PostgreSQL (ADR 141).
   */
  figuresDb: DB
  /** The dashboard's figures and the fraud flags, read in constant time once slow to compute (ADR 141). */
  figures: { dashboard: SlowFigures<DashboardFigures>; fraud: SlowFigures<FraudFlags> }
  config: AppConfig
  vault: Vault
  /** The client's address as the server sees it (after TRUST_PROXY); never stored in clear. */
  clientIp: string
  /** vault.ipHash of the client's address, computed once per request (rate limits, audit, fraud review). */
  clientIpHash: string
  cspNonce: string
  /** Group commit for the busiest writes (signs, confirmations): see app/infra/group-commit.server.ts. */
  writes: Writes
  limits: RateLimits
  /** Tells the outbox worker there is mail to send now rather than at its next poll. */
  wakeOutbox: () => void
  /** A sign already gone through on the server's direct path (server/direct-paths.ts), for the campaign route to answer. */
  presubmitted?: Presubmitted
  /**
   * Set by an action that answered a form with its errors, for the loaders of the same full-page
   * request: the page's title then says there is an error (issue 15). A fetch from the browser
   * runs its loaders in another request, where the form itself updates the title.
   */
  formRefused?: boolean
}

declare module '@remix-run/server-runtime' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}
