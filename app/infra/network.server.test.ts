import { describe, expect, it } from 'vitest'
import { networkOf } from './network.server'

describe('the network a client address stands for', () => {
  it('groups every IPv6 address of one /64 together, and tells /64s apart', () => {
    const a = networkOf('2001:db8:1:2::1')
    expect(a).toBe('2001:db8:1:2:0:0:0:0/64')
    expect(networkOf('2001:0db8:0001:0002:ffff:abcd:1234:5678')).toBe(a)
    expect(networkOf('2001:db8:1:2:8000::%eth0')).toBe(a)
    expect(networkOf('2001:db8:1:3::1')).not.toBe(a)
  })

  it('takes the prefix length it is given', () => {
    expect(networkOf('2001:db8:1:2::1', 48)).toBe('2001:db8:1:0:0:0:0:0/48')
    expect(networkOf('2001:db8:1:2::1', 56)).toBe(networkOf('2001:db8:1:ff::1', 56))
    expect(networkOf('2001:db8:1:2::1', 56)).not.toBe(networkOf('2001:db8:1:100::1', 56))
    expect(networkOf('2001:db8::1', 128)).toBe('2001:db8:0:0:0:0:0:1/128')
  })

  it('keeps IPv4 addresses whole, mapped into IPv6 or not', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7')
    expect(networkOf('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(networkOf('::ffff:cb00:7107')).toBe('203.0.113.7')
  })

  it('leaves what is not an address alone', () => {
    expect(networkOf('')).toBe('')
    expect(networkOf('unknown')).toBe('unknown')
  })
})
