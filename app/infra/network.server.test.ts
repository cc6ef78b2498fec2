import { describe, expect, it } from 'vitest'
import { isLoopbackAddress, isPublicAddress, mayReach, networkOf, webhookUrlProblem } from './network.server'

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

describe('addresses a partner webhook may reach in production (ADR 133)', () => {
  it('are public ones only: no loopback, private, link-local, shared, multicast or reserved range, however it is written', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPublicAddress(ip), ip).toBe(true)
    for (const ip of [
      '127.0.0.1',
      '127.8.9.10',
      '10.0.0.5',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '198.18.0.1',
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1%eth0',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.1.2.3',
      '64:ff9b::a9fe:a9fe',
      '2001:db8::1',
      // 6to4 and Teredo carry an IPv4 address a relay would reach; site-local, the IPv4-compatible
      // form and local-use NAT64 are special-use too (the IANA registries ipaddr.js follows).
      '2002:7f00:1::1',
      '2002:c0a8:101::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      'fec0::1',
      '::7f00:1',
      '::127.0.0.1',
      '::a00:1',
      '64:ff9b:1::a00:1',
      '64:ff9b::808:808',
      '100::1',
      '0x7f.0.0.1',
      '127.1',
      '2130706433',
      'not-an-ip',
    ])
      expect(isPublicAddress(ip), ip).toBe(false)
  })

  it('are given as https URLs, http only for localhost outside production, and never with credentials', () => {
    expect(webhookUrlProblem('https://hooks.example.org/in?x=1', 'production')).toBeNull()
    expect(webhookUrlProblem('http://hooks.example.org/in', 'production')).not.toBeNull()
    expect(webhookUrlProblem('https://localhost/in', 'production')).not.toBeNull()
    expect(webhookUrlProblem('https://127.0.0.1/in', 'production')).not.toBeNull()
    expect(webhookUrlProblem('https://[::1]/in', 'production')).not.toBeNull()
    expect(webhookUrlProblem('https://10.0.0.8/in', 'production')).not.toBeNull()
    expect(webhookUrlProblem('https://169.254.169.254/latest/meta-data', 'production')).not.toBeNull()
    expect(webhookUrlProblem('https://user:secret@hooks.example.org/in', 'production')).not.toBeNull()
    expect(webhookUrlProblem('http://127.0.0.1:4000/hook', 'test')).toBeNull()
    expect(webhookUrlProblem('http://localhost:4000/hook', 'development')).toBeNull()
    expect(webhookUrlProblem('http://hooks.example.org/in', 'development')).not.toBeNull()
    // Outside production a private network's address is refused as well: only loopback is let in.
    expect(webhookUrlProblem('https://10.0.0.8/in', 'test')).not.toBeNull()
    expect(webhookUrlProblem('https://[fd00::8]/in', 'development')).not.toBeNull()
    expect(webhookUrlProblem('https://[2002:7f00:1::1]/in', 'production')).not.toBeNull()
    expect(webhookUrlProblem('https://0x7f000001/in', 'production')).not.toBeNull()
    expect(webhookUrlProblem('javascript:alert(1)', 'test')).not.toBeNull()
    expect(webhookUrlProblem('not a url', 'test')).not.toBeNull()
  })
})

describe('addresses reachable outside production', () => {
  it('are public ones and this machine’s loopback, mapped or not; in production loopback is refused', () => {
    for (const ip of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(ip), ip).toBe(true)
      expect(mayReach(ip, 'test'), ip).toBe(true)
      expect(mayReach(ip, 'production'), ip).toBe(false)
    }
    for (const ip of ['10.0.0.1', '172.16.0.1', 'fd00::1', '169.254.169.254', '::7f00:1']) expect(mayReach(ip, 'development'), ip).toBe(false)
    expect(mayReach('8.8.8.8', 'production')).toBe(true)
  })
})
