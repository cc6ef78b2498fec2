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
  /** One request with this partner API key (ADR 133). */
  apiKey(keyId: string): Promise<Limited | null>
  /** Any request from this client (static files aside). */
  request(clientKey: string): Promise<Limited | null>
  /** Whether this network must still wait after its failed sign-ins (null: it may try now). */
  loginWait(clientKey: string): Promise<Limited | null>
  /** One failed sign-in (a wrong password or second-factor code) from this network: the next may have to wait. */
  loginFailed(clientKey: string): Promise<void>
}

/** Failed sign-ins a network makes within an hour before each further one must wait (ADR 095). */
export const NETWORK_THROTTLE_AFTER = 10
const NETWORK_MAX_DELAY_SECONDS = 15 * 60
/** The wait after a network's n-th failure within the hour: none for the first ten, then 1 s, 2 s, 4 s... up to 15 minutes. */
export function networkDelaySeconds(failures: number): number {
  if (failures < NETWORK_THROTTLE_AFTER) return 0
  return Math.min(NETWORK_MAX_DELAY_SECONDS, 2 ** (failures - NETWORK_THROTTLE_AFTER))
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
  // Per key, in the shared store like sign-in limits: a partner's script spread over processes meets one limit.
  const apiKeys = limiter({ points: limits.apiPerKeyPerMinute, duration: 60, keyPrefix: 'api-key' })
  const requests = new RateLimiterMemory({ points: limits.requestsPerIpPerMinute, duration: 60, keyPrefix: 'req' })
  // Sign-in failures per network, and the wait they impose, in the shared store like the other
  // sign-in limits: a network that failed on one process waits on every process (ADR 095). The
  // failure counter never refuses (its points are out of reach); the wait is a block on its own key.
  const loginFailures = limiter({ points: 1_000_000, duration: 60 * 60, keyPrefix: 'login-fail' })
  const loginWaits = limiter({ points: 1, duration: 1, keyPrefix: 'login-wait' })
  return {
    sign: (clientKey, campaignId) => take(perIp, `${clientKey}:${campaignId}`),
    signBudget: (campaignId) => take(perCampaign, campaignId),
    login: (clientKey) => take(logins, clientKey),
    request: (clientKey) => take(requests, clientKey),
    apiKey: (keyId) => take(apiKeys, keyId),
    async loginWait(clientKey) {
      const res = await loginWaits.get(clientKey)
      if (!res || res.consumedPoints <= 1 || res.msBeforeNext <= 0) return null
      return { retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) }
    },
    async loginFailed(clientKey) {
      const res = await loginFailures.consume(clientKey).catch((r: unknown) => {
        if (r instanceof RateLimiterRes) return r
        throw r
      })
      const wait = networkDelaySeconds(res.consumedPoints)
      if (wait > 0) await loginWaits.block(clientKey, wait)
    },
  }
}
