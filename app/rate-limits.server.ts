import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
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

async function take(limiter: RateLimiterMemory, key: string): Promise<Limited | null> {
  try {
    await limiter.consume(key)
    return null
  } catch (res) {
    if (res instanceof RateLimiterRes) return { retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) }
    throw res
  }
}

/**
 * In-memory limits, enough for one server process. They slow machines down without locking a
 * person out: the email confirmation, not these limits, is what keeps the count honest.
 */
export function createRateLimits(limits: AppConfig['rateLimits']): RateLimits {
  const perIp = new RateLimiterMemory({ points: limits.signPerIp, duration: limits.signWindowSeconds, keyPrefix: 'sign-ip' })
  const perCampaign = new RateLimiterMemory({ points: limits.signPerCampaignPerMinute, duration: 60, keyPrefix: 'sign-campaign' })
  const logins = new RateLimiterMemory({ points: limits.loginPerIp, duration: 15 * 60, keyPrefix: 'login' })
  const requests = new RateLimiterMemory({ points: limits.requestsPerIpPerMinute, duration: 60, keyPrefix: 'req' })
  return {
    sign: (clientKey, campaignId) => take(perIp, `${clientKey}:${campaignId}`),
    signBudget: (campaignId) => take(perCampaign, campaignId),
    login: (clientKey) => take(logins, clientKey),
    request: (clientKey) => take(requests, clientKey),
  }
}
