import { describe, expect, it } from 'vitest'
import { isDisposableDomain } from './disposable-email.server'
import { countryOfIp } from './geoip.server'

describe('offline IP country lookup', () => {
  it('finds the country of public addresses, v4, v6 and v4-mapped', () => {
    expect(countryOfIp('8.8.8.8')).toBe('US')
    expect(countryOfIp('::ffff:8.8.8.8')).toBe('US')
    expect(countryOfIp('2a01:4f8::1')).toBe('DE')
  })

  it('answers null for loopback, private and malformed addresses', () => {
    expect(countryOfIp('127.0.0.1')).toBeNull()
    expect(countryOfIp('10.1.2.3')).toBeNull()
    expect(countryOfIp('not an ip')).toBeNull()
    expect(countryOfIp('')).toBeNull()
  })
})

describe('disposable email domains', () => {
  it('knows throwaway providers and their subdomains, not ordinary mail', () => {
    expect(isDisposableDomain('mailinator.com')).toBe(true)
    expect(isDisposableDomain('x.mailinator.com')).toBe(true)
    expect(isDisposableDomain('gmail.com')).toBe(false)
    expect(isDisposableDomain('amnesty.org')).toBe(false)
  })
})
