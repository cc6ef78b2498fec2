/**
 * This machine's own names, and the one rule for when they are let in (ADR 137): outside production
 * only, where a developer or a test runs a partner's receiver or page on the same machine. Shared by
 * the webhook address guard and the embed origins; no server-only code (the embed code ships in pages).
 */
export type Environment = 'development' | 'production' | 'test'

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** A URL's hostname (as `new URL` writes it) that names this machine. */
export const isLoopbackHost = (hostname: string) => LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost')

/** Whether this machine's own addresses and origins are let in: never in production. */
export const loopbackAllowed = (env: Environment) => env !== 'production'
