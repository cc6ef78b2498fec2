import { createHash, createPublicKey, verify as edVerify } from 'node:crypto'
import { canonicalJson, type SignedCertificate } from '~/letters/certificate.server'
import { parseCheckpoint, type Checkpoint } from './checkpoint'
import { countryFigure, countryTotalRange, parseLeaf, tally, type Leaf, type Tally } from './leaf'
import { leafHash, memorySource, treeHash, verifyConsistency } from './merkle'
import { checkNoteSignature, decodeBase64Strict, NoteError, parseNote, parseVerifierKey, type NoteVerifier } from './note'
import { checkShape, parseStrictJson } from './strict-json'

/**
 * Verifies a letter's certificate against the published log keys and, when given, the log's
 * entries and its latest checkpoint (ADR 083). Every refusal names what failed; `checked` lists
 * what held, as codes a page can put into the letter's language.
 */

export type CheckCode =
  | 'format'
  | 'certificate-signature'
  | 'checkpoint-signature'
  | 'checkpoint-matches'
  | 'key-validity'
  | 'previous-consistent'
  | 'entries-root'
  | 'recount'
  | 'country-withheld'
  | 'latest-consistent'
  | 'pdf'

export interface Finding {
  code: CheckCode
  message: string
}

export interface PublishedKey {
  verifierKey: string
  validFrom?: string
  validUntil?: string | null
}

export interface LetterVerification {
  ok: boolean
  problems: Finding[]
  checked: Finding[]
  certificate?: SignedCertificate['certificate']
  /** the verifier key that signed the certificate and the checkpoint */
  signedBy?: string
  checkpoint?: Checkpoint
  /** the country's count recomputed from the entries, when they were given (not for a country whose entries are withheld) */
  recount?: number
}

const CERT_SHAPE = {
  object: {
    certificate: {
      object: {
        type: 'string',
        version: 'integer',
        letterId: 'string',
        code: 'string',
        reference: 'string',
        campaign: 'string',
        country: 'string',
        language: 'string',
        letterVersion: 'integer',
        createdAt: 'string',
        countryCount: 'integer',
        totalCount: 'integer',
        countryTotal: 'integer',
        namedCount: 'integer',
        merkleRoot: 'string',
        leafCount: 'integer',
        pdfDigest: 'string',
        keyId: 'string',
        log: {
          nullable: {
            object: {
              size: 'integer',
              root: 'string',
              checkpoint: 'string',
              previous: { nullable: { object: { code: 'string', logSize: 'integer', logRoot: 'string', consistency: 'string[]' } } },
            },
          },
        },
        openings: { nullable: '[integer, string][]' },
      },
      // Certificates made before ADR 129 carry no openings (read as []).
      optional: ['openings'],
    },
    algorithm: 'string',
    signature: 'string',
    recipientSalt: 'string',
  },
  optional: ['recipientSalt'],
} as const

/** The certificate key id of version 1 and 2: the first 8 bytes of SHA-256(raw public key), hex. */
const certificateKeyId = (publicKey: Buffer) => createHash('sha256').update(publicKey).digest('hex').slice(0, 16)

export function verifyLetter(
  text: string,
  keys: PublishedKey[],
  evidence: { entries?: Buffer[]; latest?: { note: string; consistency: Buffer[] } } = {},
): LetterVerification {
  const problems: Finding[] = []
  const checked: Finding[] = []
  const fail = (code: CheckCode, message: string) => problems.push({ code, message })
  const pass = (code: CheckCode, message: string) => checked.push({ code, message })

  let signed: SignedCertificate
  try {
    const value = parseStrictJson(text)
    const shape = checkShape(value, CERT_SHAPE as never)
    if (shape.length) throw new NoteError(shape.join('; '))
    signed = value as SignedCertificate
  } catch (e) {
    fail('format', `the certificate is not in the published format: ${(e as Error).message}`)
    return { ok: false, problems, checked }
  }
  const c = signed.certificate
  if (c.type !== 'un-petitions/letter-certificate' || c.version !== 2) fail('format', 'not a version 2 letter certificate')
  if (signed.algorithm !== 'Ed25519') fail('format', `unknown algorithm ${signed.algorithm}`)

  const verifiers: { v: NoteVerifier; k: PublishedKey }[] = []
  for (const k of keys) {
    try {
      verifiers.push({ v: parseVerifierKey(k.verifierKey), k })
    } catch (e) {
      fail('format', `a published key is malformed: ${(e as Error).message}`)
    }
  }

  // 1. The certificate's own signature, by a published key whose id it names.
  const certKey = verifiers.find(({ v }) => certificateKeyId(v.publicKey) === c.keyId)
  let signedBy: string | undefined
  if (!certKey) fail('certificate-signature', `no published key has the certificate’s key id ${c.keyId}`)
  else {
    let sig: Buffer | null = null
    try {
      sig = decodeBase64Strict(signed.signature, 'the certificate’s signature')
    } catch (e) {
      fail('format', (e as Error).message)
    }
    const spki = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), certKey.v.publicKey]), format: 'der', type: 'spki' })
    if (sig && sig.length === 64 && edVerify(null, Buffer.from(canonicalJson(c)), spki, sig)) {
      signedBy = certKey.v.verifierKey
      pass('certificate-signature', `the certificate is signed by ${certKey.v.verifierKey}`)
    } else fail('certificate-signature', 'the certificate’s signature does not match its contents: a count, a country or another field was changed')
  }

  // 2. The checkpoint it cites: signed by a published log key, and the one it names.
  let checkpoint: Checkpoint | undefined
  if (!c.log) fail('checkpoint-matches', 'the certificate cites no log checkpoint')
  else {
    try {
      const note = parseNote(c.log.checkpoint)
      checkpoint = parseCheckpoint(note.text)
      const mine = verifiers.filter(({ v }) => v.name === checkpoint!.origin)
      const good = mine.find(({ v }) => checkNoteSignature(note, v) === 'valid')
      if (!good) fail('checkpoint-signature', mine.length ? 'the checkpoint’s signature does not verify with any published key of its log' : `no published key for the log ${checkpoint.origin}`)
      else {
        pass('checkpoint-signature', `the checkpoint is signed by ${good.v.verifierKey}`)
        // The checkpoint was signed before the letter was counted from it, so its key was in use by
        // then; a key rotated away later still vouches for what it signed.
        const at = Date.parse(c.createdAt)
        const from = good.k.validFrom ? Date.parse(good.k.validFrom) : -Infinity
        if (!(at >= from)) fail('key-validity', `the key ${good.v.verifierKey} was first used after the letter was written`)
        else pass('key-validity', `the key was in use from ${good.k.validFrom ?? 'the start'}${good.k.validUntil ? ` to ${good.k.validUntil}` : ''}`)
      }
      if (checkpoint.size !== c.log.size || checkpoint.root.toString('base64') !== c.log.root) fail('checkpoint-matches', 'the certificate’s tree size or root differs from its signed checkpoint')
      else pass('checkpoint-matches', `the letter was counted from the log at size ${checkpoint.size}`)
    } catch (e) {
      fail('checkpoint-signature', `the checkpoint is malformed: ${(e as Error).message}`)
    }
    // 3. The previous version's checkpoint is a prefix of this one.
    const prev = c.log.previous
    if (prev && checkpoint) {
      try {
        const proof = prev.consistency.map((p) => decodeBase64Strict(p, 'a consistency hash'))
        const prevRoot = decodeBase64Strict(prev.logRoot, 'the previous root')
        if (verifyConsistency(prev.logSize, checkpoint.size, proof, prevRoot, checkpoint.root))
          pass('previous-consistent', `the log at size ${checkpoint.size} extends the one letter ${prev.code} was counted from (size ${prev.logSize}): nothing was rewritten`)
        else fail('previous-consistent', `the log was rewritten since letter ${prev.code}: the consistency proof from size ${prev.logSize} fails`)
      } catch (e) {
        fail('previous-consistent', (e as Error).message)
      }
    }
  }

  // 4. Recount from the entries, when given.
  let recount: number | undefined
  if (evidence.entries && checkpoint) {
    const entries = evidence.entries.slice(0, checkpoint.size)
    if (entries.length < checkpoint.size) fail('entries-root', `the log holds ${evidence.entries.length} entries, fewer than the checkpoint’s ${checkpoint.size}`)
    else if (!treeHash(memorySource(entries.map((e) => leafHash(e))), checkpoint.size).equals(checkpoint.root))
      fail('entries-root', 'the entries do not hash to the checkpoint’s root: an entry was added, removed, reordered or changed')
    else {
      pass('entries-root', `the ${checkpoint.size} entries hash to the checkpoint’s root`)
      let leaves: Leaf[] | undefined
      let t: Tally | undefined
      try {
        leaves = entries.map((e) => parseLeaf(e.toString('latin1')))
        t = tally(leaves)
      } catch (e) {
        fail('recount', `the log holds an entry that breaks its rules: ${(e as Error).message}`)
      }
      if (leaves && t) {
        const r = checkFigures(c, leaves, t)
        if (r.ok) pass(r.code, r.message)
        else fail(r.code, r.message)
        recount = r.recount
      }
    }
  }

  // 5. The latest checkpoint extends the cited one (no rollback, no fork).
  if (evidence.latest && checkpoint) {
    try {
      const note = parseNote(evidence.latest.note)
      const latest = parseCheckpoint(note.text)
      const signedOk = verifiers.some(({ v }) => v.name === latest.origin && checkNoteSignature(note, v) === 'valid')
      if (!signedOk) fail('latest-consistent', 'the latest checkpoint is not signed by a published key')
      else if (latest.origin !== checkpoint.origin) fail('latest-consistent', 'the latest checkpoint is of another log')
      else if (latest.size < checkpoint.size) fail('latest-consistent', `the log was rolled back: its latest checkpoint has ${latest.size} entries, fewer than the ${checkpoint.size} this letter cites`)
      else if (!verifyConsistency(checkpoint.size, latest.size, evidence.latest.consistency, checkpoint.root, latest.root))
        fail('latest-consistent', `the log's latest checkpoint (size ${latest.size}) does not extend the one this letter cites: a split view or a rewrite`)
      else pass('latest-consistent', `the latest checkpoint (size ${latest.size}) extends the one this letter cites`)
    } catch (e) {
      fail('latest-consistent', `the latest checkpoint is malformed: ${(e as Error).message}`)
    }
  }

  return { ok: problems.length === 0, problems, checked, certificate: c, signedBy, checkpoint, recount }
}

/**
 * The certified figures against the log's recount (ADR 129): the country's through the certificate's
 * openings (exact), or within what the log allows when its entries are withheld; the total exactly;
 * the number of countries as a range, since unopened version 2 entries name none.
 */
function checkFigures(c: SignedCertificate['certificate'], leaves: Leaf[], t: Tally): { ok: boolean; code: CheckCode; message: string; recount?: number } {
  const refuse = (message: string) => ({ ok: false, code: 'recount' as const, message })
  const openings = c.openings === undefined ? [] : c.openings
  const toUn = c.country === 'UN'
  const withheld = !toUn && openings === null
  const known = t.counts.get(c.country) ?? 0
  let figure: number
  if (toUn) {
    if (openings?.length) return refuse('a letter to the UN opens no entry')
    // Every counted signature is the UN letter's own.
    figure = t.total
  } else if (openings === null) {
    if (c.countryCount < known || c.countryCount > known + t.hidden.size) return refuse(`the count is ${c.countryCount} but the log allows ${known} to ${known + t.hidden.size} for ${c.country}`)
    figure = c.countryCount
  } else {
    try {
      figure = countryFigure(leaves, t, c.country, openings)
    } catch (e) {
      return refuse(`the certificate’s openings are refused: ${(e as Error).message}`)
    }
  }
  if (figure !== c.countryCount) return refuse(`the count is ${c.countryCount} but the log counts ${figure} for ${c.country}`)
  const range = countryTotalRange(t, toUn ? null : { country: c.country, figure, opened: openings?.length ?? 0 })
  if (t.total !== c.totalCount || c.countryTotal < range.min || c.countryTotal > range.max)
    return refuse(`the totals are ${c.totalCount} from ${c.countryTotal} countries but the log counts ${t.total} from ${range.min === range.max ? range.min : `${range.min} to ${range.max}`}`)
  if (withheld)
    return {
      ok: true,
      code: 'country-withheld',
      message: `recounted from the log: ${t.total} in all; the ${figure} for ${c.country} are not opened, to protect its signers, and lie within the ${known} to ${known + t.hidden.size} the log allows`,
    }
  return { ok: true, code: 'recount', message: `recounted from the log: ${figure} for ${c.country}, ${t.total} in all`, recount: figure }
}

/** The exact signed bytes, signatures and raw public keys, for the browser to check again. */
export function browserCheckData(certificateBytes: string, certificateSignature: string, checkpointNote: string | null, keys: PublishedKey[]) {
  const items: { what: 'certificate' | 'checkpoint'; message: string; signature: string; publicKey: string }[] = []
  const verifiers = keys.flatMap((k) => {
    try {
      return [parseVerifierKey(k.verifierKey)]
    } catch {
      return []
    }
  })
  const certId = JSON.parse(certificateBytes).keyId as string
  const certKey = verifiers.find((v) => certificateKeyId(v.publicKey) === certId)
  if (certKey) items.push({ what: 'certificate', message: certificateBytes, signature: certificateSignature, publicKey: certKey.publicKey.toString('base64') })
  if (checkpointNote) {
    const note = parseNote(checkpointNote)
    for (const s of note.signatures) {
      const v = verifiers.find((k) => k.name === s.name && k.keyId.equals(s.keyId))
      if (v) items.push({ what: 'checkpoint', message: note.text, signature: s.signature.toString('base64'), publicKey: v.publicKey.toString('base64') })
    }
  }
  return items.length ? { items } : null
}
