import { createHash, createHmac, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'

/**
 * Letter certificates (docs/decisions/021-letter-certificates.md). Each counted signature becomes a
 * leaf HMAC(commitment key, signature id): without the key nobody can tell which signature a leaf
 * stands for, and nobody can add a leaf that matches a real signature. Leaves are sorted and
 * hashed into a Merkle tree with RFC 6962's domain separation (0x00 before a leaf, 0x01 before a
 * node); a lone node at the end of a level is carried up unchanged. The root, the counts and the
 * hashes of the letter go into a certificate signed with the platform's Ed25519 key.
 */

export const CERTIFICATE_TYPE = 'un-petitions/letter-certificate'
/**
 * Version 2 drops version 1's bare SHA-256 of the letter's text and PDF: the text is rebuilt from
 * public wording and the annex names, so a bare hash let anyone confirm a guessed name (issue 12,
 * ADR 080). Version 2 binds the PDF with an HMAC under a salt only the recipient is given.
 */
export const CERTIFICATE_VERSION = 2

const sha256 = (...parts: Buffer[]) => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest()
}
const LEAF = Buffer.from([0])
const NODE = Buffer.from([1])

export function commitmentKey(hmacKey: Buffer): Buffer {
  return createHmac('sha256', hmacKey).update('letter-commitment-v1').digest()
}

export function leafFor(key: Buffer, signatureId: string): Buffer {
  return createHmac('sha256', key).update(signatureId).digest()
}

export function sortLeaves(leaves: Buffer[]): Buffer[] {
  return leaves.sort((a, b) => Buffer.compare(a, b))
}

/** The leaves packed for storage: 32 bytes each, in order. */
export function packLeaves(leaves: Buffer[]): Buffer {
  return Buffer.concat(leaves as Uint8Array[], leaves.length * 32)
}

export function unpackLeaves(packed: Buffer): Buffer[] {
  const out: Buffer[] = []
  for (let i = 0; i + 32 <= packed.length; i += 32) out.push(packed.subarray(i, i + 32))
  return out
}

function levels(leaves: Buffer[]): Buffer[][] {
  let level: Buffer[] = leaves.map((l) => sha256(LEAF, l))
  const all: Buffer[][] = [level]
  while (level.length > 1) {
    const next: Buffer[] = []
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? sha256(NODE, level[i], level[i + 1]) : level[i])
    all.push(next)
    level = next
  }
  return all
}

/** The root of sorted leaves, hex; an empty set has the hash of nothing as its root. */
export function merkleRoot(sortedLeaves: Buffer[]): string {
  if (sortedLeaves.length === 0) return sha256().toString('hex')
  const all = levels(sortedLeaves)
  return all[all.length - 1][0].toString('hex')
}

export interface ProofStep {
  /** where the sibling sits */
  side: 'left' | 'right'
  hash: string
}

/** The audit path of one leaf: sibling hashes only, which reveal nothing about other signatures. */
export function inclusionProof(sortedLeaves: Buffer[], leaf: Buffer): ProofStep[] | null {
  let index = sortedLeaves.findIndex((l) => l.equals(leaf))
  if (index < 0) return null
  const proof: ProofStep[] = []
  for (const level of levels(sortedLeaves).slice(0, -1)) {
    const sibling = index % 2 === 0 ? index + 1 : index - 1
    if (sibling < level.length) proof.push({ side: index % 2 === 0 ? 'right' : 'left', hash: level[sibling].toString('hex') })
    index = Math.floor(index / 2)
  }
  return proof
}

export function verifyInclusion(leafHex: string, proof: ProofStep[], rootHex: string): boolean {
  let node = sha256(LEAF, Buffer.from(leafHex, 'hex'))
  for (const step of proof) {
    const sibling = Buffer.from(step.hash, 'hex')
    node = step.side === 'left' ? sha256(NODE, sibling, node) : sha256(NODE, node, sibling)
  }
  return node.toString('hex') === rootHex
}

export interface Certificate {
  type: typeof CERTIFICATE_TYPE
  version: 1 | 2
  letterId: string
  code: string
  reference: string
  campaign: string
  country: string
  language: string
  letterVersion: number
  createdAt: string
  countryCount: number
  totalCount: number
  countryTotal: number
  namedCount: number
  merkleRoot: string
  leafCount: number
  /** version 1 only: bare hashes, which let a guessed annex be confirmed */
  textSha256?: string
  pdfSha256?: string
  /** version 2: HMAC-SHA256(recipient salt, PDF bytes), hex */
  pdfDigest?: string
  keyId: string
  /**
   * version 2: the campaign log's checkpoint the letter was counted from (a C2SP signed note), its
   * size and root (base64), and for a later version, the consistency proof from the previous
   * version's checkpoint (ADR 083). Null when the log was still empty.
   */
  log?: LetterLog | null
  /**
   * A state's letter since ADR 129: `[index, opening hex]` for each version 2 log entry of its
   * country counted at `log.size`, which lets anyone recount its figure and no other country's;
   * null when the state is one whose signers are at risk (ADR 085), whose entries are never opened.
   * Absent from letters to the UN and from certificates made before, read as [].
   */
  openings?: [number, string][] | null
}

export interface LetterLog {
  size: number
  root: string
  checkpoint: string
  previous: { code: string; logSize: number; logRoot: string; consistency: string[] } | null
}

export interface SignedCertificate {
  certificate: Certificate
  algorithm: 'Ed25519'
  /** base64 Ed25519 signature over canonicalJson(certificate) */
  signature: string
  /**
   * Only in the recipient's copy, never published: the salt (base64) under which pdfDigest was
   * computed. Outside the signed part, so the public and private copies share one signature.
   */
  recipientSalt?: string
}

/** The salt of one letter's digest: derived from the platform's key, so nothing new is stored. */
export function recipientSalt(hmacKey: Buffer, letterId: string): Buffer {
  return createHmac('sha256', hmacKey).update(`letter-recipient-salt-v1\0${letterId}`).digest()
}

export const pdfDigest = (salt: Buffer, pdf: Buffer | Uint8Array) => createHmac('sha256', salt).update(pdf).digest('hex')

/** JSON with keys sorted at every level: the exact bytes that are signed. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

export interface SigningKey {
  privateKey: KeyObject
  publicKey: KeyObject
  publicKeyPem: string
  /** the raw 32-byte public key, base64url */
  publicKeyRaw: string
  keyId: string
}

export function signingKeyFromSeed(seed: Buffer): SigningKey {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed.subarray(0, 32)]), format: 'der', type: 'pkcs8' })
  const publicKey = createPublicKey(privateKey)
  const der = publicKey.export({ format: 'der', type: 'spki' })
  const raw = der.subarray(der.length - 32)
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKeyRaw: raw.toString('base64url'),
    keyId: sha256(raw).toString('hex').slice(0, 16),
  }
}

export function signCertificate(key: SigningKey, certificate: Certificate): SignedCertificate {
  const signature = sign(null, Buffer.from(canonicalJson(certificate)), key.privateKey).toString('base64')
  return { certificate, algorithm: 'Ed25519', signature }
}

export const fileSha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex')

export interface CertificateCheck {
  ok: boolean
  problems: string[]
}

/**
 * Checks a signed certificate against a public key (PEM), and, when given, the letter's PDF and
 * canonical text against the hashes it certifies. Works offline.
 */
export function verifyCertificate(
  signed: SignedCertificate,
  publicKeyPem: string,
  files: { pdf?: Buffer; text?: string } = {},
): CertificateCheck {
  const problems: string[] = []
  const c = signed.certificate
  if (signed.algorithm !== 'Ed25519') problems.push(`unknown algorithm ${String(signed.algorithm)}`)
  if (c?.type !== CERTIFICATE_TYPE) problems.push('not a letter certificate')
  let validSignature = false
  try {
    validSignature = verify(null, Buffer.from(canonicalJson(c)), createPublicKey(publicKeyPem), Buffer.from(signed.signature, 'base64'))
  } catch {
    validSignature = false
  }
  if (!validSignature) problems.push('the signature does not match this certificate and key')
  if (c && c.leafCount !== c.countryCount) problems.push('the number of committed signatures differs from the count')
  if (c && c.version === 1) {
    if (files.pdf && fileSha256(files.pdf) !== c.pdfSha256) problems.push('the PDF is not the certified letter')
    if (files.text !== undefined && fileSha256(Buffer.from(files.text)) !== c.textSha256) problems.push('the text is not the certified letter')
  } else if (c && c.version === 2) {
    if (c.textSha256 !== undefined || c.pdfSha256 !== undefined) problems.push('a version 2 certificate carries no bare hash of the letter')
    if (files.pdf) {
      if (!signed.recipientSalt) problems.push('checking the PDF needs the recipient’s salt (recipientSalt), which is in the recipient’s copy only')
      else if (pdfDigest(Buffer.from(signed.recipientSalt, 'base64'), files.pdf) !== c.pdfDigest) problems.push('the PDF is not the certified letter')
    }
  } else problems.push(`unknown certificate version ${String(c?.version)}`)
  return { ok: problems.length === 0, problems }
}
