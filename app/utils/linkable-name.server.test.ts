import { describe, expect, it } from 'vitest'
import { linkableInName } from './linkable-name.server'

describe('names a mail client would turn into a link', () => {
  it.each(['secure-login.support', 'Reza secure-login.support', 'evil。com', 'evil．com', 'evil｡com', 'Ali (mohammad.ir)', 'paypal.com.verify-account.click', '203.0.113.9', 'عباس.com', 'x@evil.org'])(
    'refuses %s',
    (name) => expect(linkableInName(name)).toBe(true),
  )

  it.each(['Shirin Ebadi', 'J. R. R. Tolkien', 'Jane.Smith', 'Anna.Maria Rossi', 'Dr. Ali Reza', 'مریم میرزاخانی', 'Jean-Paul Sartre', 'A.B.', "O'Brien"])(
    'accepts %s',
    (name) => expect(linkableInName(name)).toBe(false),
  )
})
