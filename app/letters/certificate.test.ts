import { randomBytes, randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  CERTIFICATE_TYPE,
  commitmentKey,
  fileSha256,
  inclusionProof,
  leafFor,
  merkleRoot,
  packLeaves,
  pdfDigest,
  recipientSalt,
  signCertificate,
  signingKeyFromSeed,
  sortLeaves,
  unpackLeaves,
  verifyCertificate,
  verifyInclusion,
  type Certificate,
} from './certificate.server'

const key = commitmentKey(randomBytes(32))
const ids = Array.from({ length: 37 }, () => randomUUID())
const leaves = sortLeaves(ids.map((id) => leafFor(key, id)))
const signing = signingKeyFromSeed(randomBytes(32))
const pdf = Buffer.from('%PDF-1.7 a letter')
const text = 'Excellency, ...'
const salt = recipientSalt(randomBytes(32), 'l1')

function certificate(over: Partial<Certificate> = {}): Certificate {
  return {
    type: CERTIFICATE_TYPE,
    version: 2,
    letterId: 'l1',
    code: 'ABCD-EFGH-JKMN',
    reference: 'X/SWE/2026/1',
    campaign: 'c',
    country: 'SE',
    language: 'en',
    letterVersion: 1,
    createdAt: '2026-03-14T00:00:00.000Z',
    countryCount: leaves.length,
    totalCount: 1000,
    countryTotal: 20,
    namedCount: 3,
    merkleRoot: merkleRoot(leaves),
    leafCount: leaves.length,
    pdfDigest: pdfDigest(salt, pdf),
    keyId: signing.keyId,
    ...over,
  }
}

describe('letter certificate', () => {
  it('verifies with the platform key, and the PDF with the recipient’s salt', () => {
    const signed = { ...signCertificate(signing, certificate()), recipientSalt: salt.toString('base64') }
    expect(verifyCertificate(signed, signing.publicKeyPem, { pdf })).toEqual({ ok: true, problems: [] })
  })

  it('fails once any byte of the letter changes', () => {
    const signed = { ...signCertificate(signing, certificate()), recipientSalt: salt.toString('base64') }
    for (let i = 0; i < pdf.length; i++) {
      const changed = Buffer.from(pdf)
      changed[i] ^= 1
      expect(verifyCertificate(signed, signing.publicKeyPem, { pdf: changed }).problems).toContain('the PDF is not the certified letter')
    }
  })

  it('cannot check a PDF without the salt, and refuses a version 2 certificate carrying a bare hash', () => {
    const signed = signCertificate(signing, certificate())
    expect(verifyCertificate(signed, signing.publicKeyPem, { pdf }).problems[0]).toMatch(/needs the recipient’s salt/)
    const bare = signCertificate(signing, certificate({ pdfSha256: fileSha256(pdf) }))
    expect(verifyCertificate(bare, signing.publicKeyPem).problems).toContain('a version 2 certificate carries no bare hash of the letter')
  })

  it('still checks a version 1 certificate with its bare hashes', () => {
    const v1 = signCertificate(signing, certificate({ version: 1, pdfDigest: undefined, pdfSha256: fileSha256(pdf), textSha256: fileSha256(Buffer.from(text)) }))
    expect(verifyCertificate(v1, signing.publicKeyPem, { pdf, text }).ok).toBe(true)
    expect(verifyCertificate(v1, signing.publicKeyPem, { text: `${text} ` }).ok).toBe(false)
  })

  it('fails once the count, or any other certified field, changes', () => {
    const signed = signCertificate(signing, certificate())
    const tampered = { ...signed, certificate: { ...signed.certificate, countryCount: signed.certificate.countryCount + 1, leafCount: signed.certificate.leafCount + 1 } }
    expect(verifyCertificate(tampered, signing.publicKeyPem).problems).toContain('the signature does not match this certificate and key')
    const otherKey = signingKeyFromSeed(randomBytes(32))
    expect(verifyCertificate(signed, otherKey.publicKeyPem).ok).toBe(false)
  })

  it('commits to the exact set of signatures: adding, removing or swapping one changes the root', () => {
    const root = merkleRoot(leaves)
    expect(merkleRoot(sortLeaves([...leaves, leafFor(key, randomUUID())]))).not.toBe(root)
    expect(merkleRoot(leaves.slice(1))).not.toBe(root)
    const swapped = sortLeaves([...leaves.slice(1), leafFor(key, randomUUID())])
    expect(merkleRoot(swapped)).not.toBe(root)
    // Another key gives other leaves: the commitment is bound to the platform's secret.
    expect(merkleRoot(sortLeaves(ids.map((id) => leafFor(commitmentKey(randomBytes(32)), id))))).not.toBe(root)
    expect(unpackLeaves(packLeaves(leaves)).map((l) => l.toString('hex'))).toEqual(leaves.map((l) => l.toString('hex')))
  })

  it('proves that a counted signature is included, and nothing for one that is not', () => {
    const root = merkleRoot(leaves)
    for (const id of ids) {
      const leaf = leafFor(key, id)
      const proof = inclusionProof(leaves, leaf)!
      expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(leaves.length)))
      expect(verifyInclusion(leaf.toString('hex'), proof, root)).toBe(true)
      // The same path does not prove a different leaf.
      expect(verifyInclusion(leafFor(key, randomUUID()).toString('hex'), proof, root)).toBe(false)
    }
    expect(inclusionProof(leaves, leafFor(key, randomUUID()))).toBeNull()
    const single = [leafFor(key, 'only')]
    expect(verifyInclusion(single[0].toString('hex'), inclusionProof(single, single[0])!, merkleRoot(single))).toBe(true)
  })
})
