import type { IncomingMessage, ServerResponse } from 'node:http'

export interface SheddingOptions {
  /** Requests being answered at once beyond which new ones are refused; 0 turns the rule off. */
  maxInFlight: number
  /** Event-loop delay (ms) beyond which new requests are refused; 0 turns the rule off. */
  maxLagMs: number
}

/** Files that cost nothing to serve: still served under load, so a refused page can still be styled. */
const ALWAYS_SERVED = /^\/(build\/|favicon\.svg$|robots\.txt$)/

/**
 * Sheds load rather than stalling (#10): past `maxInFlight` requests in flight, or while the event
 * loop runs more than `maxLagMs` late, a new request is answered at once with 503 and Retry-After
 * instead of queueing behind the others. The lag is the worst delay of a 20 ms timer over the last
 * half second, measured on the monotonic clock; cached pages and static files are answered before
 * this check (they are cheap), so readers keep the campaign page while writes wait.
 */
export function createLoadShedder(options: SheddingOptions) {
  let inFlight = 0
  let worstLag = 0
  let windowStart = performance.now()
  let windowWorst = 0
  let expected = performance.now() + 20
  const timer = setInterval(() => {
    const now = performance.now()
    const late = Math.max(0, now - expected)
    expected = now + 20
    windowWorst = Math.max(windowWorst, late)
    // The figure is the worst of the last full window, or of this one if that is already worse.
    if (now - windowStart >= 500) {
      worstLag = windowWorst
      windowWorst = 0
      windowStart = now
    } else if (windowWorst > worstLag) worstLag = windowWorst
  }, 20)
  timer.unref()

  return {
    /** Counts the request in flight until its answer is done; answers whether it may go on. */
    admit(req: IncomingMessage, res: ServerResponse): boolean {
      if (ALWAYS_SERVED.test(req.url ?? '')) return true
      const overloaded = (options.maxInFlight > 0 && inFlight >= options.maxInFlight) || (options.maxLagMs > 0 && worstLag > options.maxLagMs)
      if (overloaded) return false
      inFlight++
      res.once('close', () => inFlight--)
      return true
    },
    /** How loaded the process is now, for tests and logs. */
    state: () => ({ inFlight, lagMs: Math.round(worstLag) }),
    stop: () => clearInterval(timer),
  }
}
