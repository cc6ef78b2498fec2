import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'

/**
 * C2SP signed-note with Ed25519 (https://c2sp.org/signed-note), ADR 082: the note's text, a blank
 * line, then one line per signature `— <name> <base64(key id ‖ signature)>`. The key id is the
 * first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key); a verifier key is written
 * `<name>+<key id, 8 hex>+<base64(0x01 ‖ public key)>`. Parsing is strict: canonical base64, no
 * control characters, a text ending in a newline, at most 100 signatures.
 */

const ED25519 = 0x01
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SIG_PREFIX = '\u2014 '

export class NoteError extends Error {}

/** Standard base64 with padding, refusing any other spelling of the same bytes. */
export function decodeBase64Strict(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new NoteError(`${what} is not canonical base64`)
  const bytes = Buffer.from(text, 'base64')
  if (bytes.toString('base64') !== text) throw new NoteError(`${what} is not canonical base64`)
  return bytes
}

export function validKeyName(name: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  return name.length > 0 && !/[\s+]/u.test(name) && !/[\u0000-\u001f\u007f]/.test(name)
}

export function keyId(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256').update(name).update(Buffer.from([0x0a, ED25519])).update(publicKey).digest().subarray(0, 4)
}

export interface NoteSigner {
  name: string
  keyId: Buffer
  publicKey: Buffer
  privateKey: KeyObject
  /** `<name>+<hex key id>+<base64(0x01 ‖ public key)>` */
  verifierKey: string
}

export function signerFromSeed(name: string, seed: Buffer): NoteSigner {
  if (!validKeyName(name)) throw new NoteError(`not a key name: ${name}`)
  if (seed.length !== 32) throw new NoteError('an Ed25519 seed is 32 bytes')
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' })
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  const publicKey = Buffer.from(der.subarray(der.length - 32))
  const id = keyId(name, publicKey)
  return { name, keyId: id, publicKey, privateKey, verifierKey: `${name}+${id.toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64')}` }
}

/** Go's `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 ‖ seed)>` form. */
export function signerFromPrivateKeyString(skey: string): NoteSigner {
  const m = /^PRIVATE\+KEY\+([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(skey)
  if (!m) throw new NoteError('not a signed-note private key')
  const raw = decodeBase64Strict(m[3], 'the private key')
  if (raw.length !== 33 || raw[0] !== ED25519) throw new NoteError('not an Ed25519 private key')
  const signer = signerFromSeed(m[1], raw.subarray(1))
  if (signer.keyId.toString('hex') !== m[2]) throw new NoteError('the private key’s id does not match its key')
  return signer
}

export interface NoteVerifier {
  name: string
  keyId: Buffer
  publicKey: Buffer
  verifierKey: string
  key: KeyObject
}

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

export function parseVerifierKey(vkey: string): NoteVerifier {
  const parts = vkey.split('+')
  // The base64 may itself contain '+': name and id are the first two fields, the rest is the key.
  if (parts.length < 3) throw new NoteError('a verifier key is name+id+key')
  const [name, idHex] = parts
  const material = parts.slice(2).join('+')
  if (!validKeyName(name)) throw new NoteError('the verifier key’s name is not valid')
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError('the verifier key’s id is not 8 lowercase hex digits')
  const raw = decodeBase64Strict(material, 'the verifier key')
  if (raw[0] !== ED25519) throw new NoteError('the verifier key is not an Ed25519 key (type 0x01)')
  if (raw.length !== 33) throw new NoteError('an Ed25519 verifier key is 32 bytes')
  const publicKey = Buffer.from(raw.subarray(1))
  if (keyId(name, publicKey).toString('hex') !== idHex) throw new NoteError('the verifier key’s id does not match its name and key')
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' })
  return { name, keyId: Buffer.from(idHex, 'hex'), publicKey, verifierKey: vkey, key }
}

function checkText(text: string) {
  if (text.length === 0 || !text.endsWith('\n')) throw new NoteError('a note’s text ends with a newline')
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) throw new NoteError('a note’s text holds no control characters')
  if (text.includes('\n\n')) throw new NoteError('a note’s text holds no blank line')
}

export function signNote(text: string, signers: NoteSigner[]): string {
  checkText(text)
  const lines = signers.map((s) => `${SIG_PREFIX}${s.name} ${Buffer.concat([s.keyId, sign(null, Buffer.from(text), s.privateKey)]).toString('base64')}\n`)
  return `${text}\n${lines.join('')}`
}

export interface NoteSignature {
  name: string
  keyId: Buffer
  /** the signature bytes after the key id */
  signature: Buffer
}

export interface ParsedNote {
  text: string
  signatures: NoteSignature[]
}

/** Splits a signed note into its text and signature lines, refusing anything malformed. */
export function parseNote(note: string): ParsedNote {
  if (note.length > 1_000_000) throw new NoteError('the note is too long')
  const split = note.lastIndexOf('\n\n')
  if (split < 0) throw new NoteError('the note has no signature block')
  const text = note.slice(0, split + 1)
  checkText(text)
  const block = note.slice(split + 2)
  if (!block.endsWith('\n')) throw new NoteError('the signature block ends with a newline')
  const signatures: NoteSignature[] = []
  for (const line of block.slice(0, -1).split('\n')) {
    if (!line.startsWith(SIG_PREFIX)) throw new NoteError('a signature line starts with “— ”')
    const rest = line.slice(SIG_PREFIX.length)
    const space = rest.indexOf(' ')
    if (space < 0 || rest.indexOf(' ', space + 1) >= 0) throw new NoteError('a signature line is “— name signature”')
    const name = rest.slice(0, space)
    if (!validKeyName(name)) throw new NoteError('a signature’s key name is not valid')
    const raw = decodeBase64Strict(rest.slice(space + 1), 'a signature')
    if (raw.length < 5) throw new NoteError('a signature is too short')
    signatures.push({ name, keyId: Buffer.from(raw.subarray(0, 4)), signature: Buffer.from(raw.subarray(4)) })
  }
  if (signatures.length === 0) throw new NoteError('the note carries no signature')
  if (signatures.length > 100) throw new NoteError('the note carries too many signatures')
  return { text, signatures }
}

/** The signatures of `note` made by `verifier`'s key: 'valid', 'invalid', or 'absent'. */
export function checkNoteSignature(parsed: ParsedNote, verifier: NoteVerifier): 'valid' | 'invalid' | 'absent' {
  const mine = parsed.signatures.filter((s) => s.name === verifier.name && s.keyId.equals(verifier.keyId))
  if (mine.length === 0) return 'absent'
  if (mine.length > 1) return 'invalid'
  const ok = mine[0].signature.length === 64 && verify(null, Buffer.from(parsed.text), verifier.key, mine[0].signature)
  return ok ? 'valid' : 'invalid'
}
