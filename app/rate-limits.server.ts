import type pg from 'pg'
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import type { AppConfig } from './config.server'

export interface Limited {
  retryAfterSeconds: number
}

export interface RateLimits {
  /** One sign (or resend) attempt from this client for this campaign; null while within limits. */
  sign(clientKey: string, campaignId: string): Promise<Limited | null>
  /**
   * One well-formed signature for this campaign, all clients together: charged only after the form
   * validated, so invalid posts from rotating addresses cannot spend every real signer's budget.
   */
  signBudget(campaignId: string): Promise<Limited | null>
  /** One sign-in (or password reset) attempt from this client. */
  login(clientKey: string): Promise<Limited | null>
  /** Any request from this client (static files aside). */
  request(clientKey: string): Promise<Limited | null>
}

async function take(limiter: RateLimiterAbstract, key: string): Promise<Limited | null> {
  try {
    await limiter.consume(key)
    return null
  } catch (res) {
    if (res instanceof RateLimiterRes) return { retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) }
    throw res
  }
}

/**
 * The limits slow machines down without locking a person out: the email confirmation, not these
 * limits, is what keeps the count honest. With one process (SQLite) they are kept in memory; with a
 * PostgreSQL pool they are kept in the shared database (table rate_limits, migration 006), so a
 * limit is the same whichever app process a client reaches. A database that does not answer falls
 * back to the process's own memory rather than refusing or admitting everyone (ADR 065).
 */
export function createRateLimits(limits: AppConfig['rateLimits'], pool: pg.Pool | null = null): RateLimits {
  const limiter = (opts: { points: number; duration: number; keyPrefix: string }): RateLimiterAbstract => {
    const memory = new RateLimiterMemory(opts)
    if (!pool) return memory
    return new RateLimiterPostgres({
      ...opts,
      storeClient: pool,
      storeType: 'pool',
      tableName: 'rate_limits',
      tableCreated: true,
      clearExpiredByTimeout: false,
      insuranceLimiter: memory,
      // A client refused once is refused from memory until its window ends, sparing the database.
      inMemoryBlockOnConsumed: opts.points + 1,
    })
  }
  const perIp = limiter({ points: limits.signPerIp, duration: limits.signWindowSeconds, keyPrefix: 'sign-ip' })
  // The campaign-wide budget is one row every sign would update: kept per process, so processes do
  // not queue on one row lock; with N processes the campaign's budget is N times the setting.
  const perCampaign = new RateLimiterMemory({ points: limits.signPerCampaignPerMinute, duration: 60, keyPrefix: 'sign-campaign' })
  const logins = limiter({ points: limits.loginPerIp, duration: 15 * 60, keyPrefix: 'login' })
  // The flood guard on every request stays per process too: a database round trip on every page
  // view would cost more than the pages (ADR 065); a load balancer spreading one client over N
  // processes lets it N times the setting before it is refused.
  const requests = new RateLimiterMemory({ points: limits.requestsPerIpPerMinute, duration: 60, keyPrefix: 'req' })
  return {
    sign: (clientKey, campaignId) => take(perIp, `${clientKey}:${campaignId}`),
    signBudget: (campaignId) => take(perCampaign, campaignId),
    login: (clientKey) => take(logins, clientKey),
    request: (clientKey) => take(requests, clientKey),
  }
}
