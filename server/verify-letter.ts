import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { pdfDigest, verifyCertificate, type SignedCertificate } from '../app/letters/certificate.server'
import { parseCheckpoint } from '../app/transparency/checkpoint'
import { checkCosignatures } from '../app/transparency/cosignature'
import { consistencyProof, leafHash, memorySource } from '../app/transparency/merkle'
import { decodeBase64Strict, parseNote } from '../app/transparency/note'
import { decodeBundle, tilePath } from '../app/transparency/tiles'
import { verifyLetter, type PublishedKey } from '../app/transparency/verify.server'

/**
 * `npm run verify-letter -- FILE_OR_CODE [--url BASE] [--keys KEYS.json] [--entries BUNDLE ...]
 *  [--latest CHECKPOINT] [--witness KEY ...] [--cosigned CHECKPOINT ...] [--cert FILE] [--pdf FILE]`
 *
 * Checks a letter against the campaign's public log (ADR 083, 092): the certificate's and its
 * checkpoint's signatures with the published log keys, the counts recounted from the log's entries
 * at the cited tree size, the latest checkpoint's consistency with the cited one, and the
 * cosignatures of the witnesses given with --witness. With --url everything is fetched from the
 * platform (the certificate too, for a CODE); offline, give --keys (/.well-known/petition-log-keys),
 * --entries (the entry bundles, in order) and --latest. FILE is a certificate JSON, or a letter PDF
 * with its certificate beside it (.certificate.json) or at --cert.
 *
 * The older form `--key key.pem` checks only the certificate's own signature (and the PDF).
 */
export async function verifyLetterCommand(args: string[], log: (line: string) => void = console.log): Promise<number> {
  const flags = new Map<string, string>()
  const lists = new Map<string, string[]>()
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('--')) {
      const name = args[i].slice(2)
      // --entries takes every file up to the next flag; --witness and --cosigned may repeat.
      if (name === 'entries') while (i + 1 < args.length && !args[i + 1].startsWith('--')) lists.set(name, [...(lists.get(name) ?? []), args[++i]])
      else if (name === 'witness' || name === 'cosigned') lists.set(name, [...(lists.get(name) ?? []), args[++i] ?? ''])
      else flags.set(name, args[++i] ?? '')
    } else positional.push(args[i])
  }
  const target = positional[0]
  if (!target) {
    log('Usage: npm run verify-letter -- FILE_OR_CODE [--cert certificate.json] [--key key.pem] [--url https://petition.example]')
    return 64
  }
  const base = flags.get('url')?.replace(/\/+$/, '')
  let pdf: Buffer | undefined
  let certificateText: string
  if (existsSync(target)) {
    if (target.toLowerCase().endsWith('.pdf')) {
      pdf = readFileSync(target)
      const certFile = flags.get('cert') ?? target.replace(/\.pdf$/i, '.certificate.json')
      if (!existsSync(certFile)) {
        log(`No certificate: give --cert, or put ${path.basename(certFile)} beside the PDF.`)
        return 2
      }
      certificateText = readFileSync(certFile, 'utf8')
    } else {
      certificateText = readFileSync(target, 'utf8')
      if (flags.get('pdf')) pdf = readFileSync(flags.get('pdf')!)
    }
  } else {
    if (!base) {
      log(`${target} is not a file; to check a verification code, give --url of the platform.`)
      return 2
    }
    const res = await fetch(`${base}/verify/${encodeURIComponent(target)}/certificate.json`)
    if (!res.ok) {
      log(`No certificate for ${target} at ${base} (${res.status}).`)
      return 1
    }
    certificateText = await res.text()
  }

  if (!flags.get('key')) return checkAgainstLog(certificateText, pdf, base, flags, lists, log)

  let keyText: string
  if (flags.get('key')) keyText = readFileSync(flags.get('key')!, 'utf8')
  else if (base) keyText = await (await fetch(`${base}/.well-known/petition-signing-key?format=pem`)).text()
  else {
    log('Give the platform’s public key with --key (PEM from /.well-known/petition-signing-key?format=pem), or --url.')
    return 2
  }
  const pem = keyText.trim().startsWith('{') ? (JSON.parse(keyText) as { publicKeyPem: string }).publicKeyPem : keyText

  let signed: SignedCertificate
  try {
    signed = JSON.parse(certificateText) as SignedCertificate
  } catch {
    log('The certificate is not valid JSON.')
    return 1
  }
  const check = verifyCertificate(signed, pem, { pdf })
  const c = signed.certificate
  if (check.ok) {
    log(`VALID: letter ${c.reference} (code ${c.code}), ${c.country}, ${c.countryCount} verified signatures of ${c.totalCount}, ${c.createdAt}.`)
    log(`Merkle root ${c.merkleRoot} over ${c.leafCount} signatures, signed by key ${c.keyId}.${pdf ? ' The PDF is the certified letter.' : ''}`)
    return 0
  }
  log(`INVALID: ${check.problems.join('; ')}.`)
  return 1
}

async function checkAgainstLog(certificateText: string, pdf: Buffer | undefined, base: string | undefined, flags: Map<string, string>, lists: Map<string, string[]>, log: (line: string) => void): Promise<number> {
  const get = async (url: string) => {
    const res = await fetch(`${base}${url}`)
    if (!res.ok) throw new Error(`${url} answered ${res.status}`)
    return res
  }
  let keys: PublishedKey[]
  try {
    const keysText = flags.get('keys') ? readFileSync(flags.get('keys')!, 'utf8') : base ? await (await get('/.well-known/petition-log-keys')).text() : null
    if (keysText === null) {
      log('Give the published log keys with --keys (from /.well-known/petition-log-keys), or --url of the platform.')
      return 2
    }
    keys = (JSON.parse(keysText) as { keys: PublishedKey[] }).keys
  } catch (e) {
    log(`INVALID: the published keys could not be read: ${(e as Error).message}.`)
    return 1
  }
  let cert: SignedCertificate['certificate'] | undefined
  try {
    cert = (JSON.parse(certificateText) as SignedCertificate).certificate
  } catch {
    /* verifyLetter names the format problem */
  }
  const cited = cert?.log ?? null
  const slug = cert?.campaign
  const extra: string[] = []
  const lines: string[] = []
  let entries: Buffer[] | undefined
  let latestNote: string | undefined
  const cosigned: { label: string; note: string }[] = []
  try {
    latestNote = flags.get('latest') ? readFileSync(flags.get('latest')!, 'utf8') : base && slug ? await (await get(`/campaigns/${encodeURIComponent(slug)}/log/checkpoint`)).text() : undefined
    const latestSize = latestNote ? parseCheckpoint(parseNote(latestNote).text).size : cited?.size ?? 0
    if (lists.get('entries')) entries = lists.get('entries')!.flatMap((f) => decodeBundle(readFileSync(f)))
    else if (base && slug && cited) {
      entries = []
      for (let n = 0; n * 256 < latestSize; n++) {
        const width = Math.min(256, latestSize - n * 256)
        entries.push(...decodeBundle(Buffer.from(await (await get(`/campaigns/${encodeURIComponent(slug)}/log/${tilePath('entries', n, width)}`)).arrayBuffer())))
      }
    }
    for (const f of lists.get('cosigned') ?? []) cosigned.push({ label: f, note: readFileSync(f, 'utf8') })
    if (base && slug && cited && lists.get('witness')?.length)
      cosigned.push({ label: `from ${base}`, note: await (await get(`/campaigns/${encodeURIComponent(slug)}/log/checkpoint?size=${cited.size}`)).text() })
  } catch (e) {
    log(`INVALID: the log could not be read: ${(e as Error).message}.`)
    return 1
  }
  // The latest checkpoint's consistency proof: computed from the entries when they reach it, so
  // the check trusts nothing the log says about itself; otherwise asked of the platform.
  let latest: { note: string; consistency: Buffer[] } | undefined
  if (latestNote && cited) {
    try {
      const size = parseCheckpoint(parseNote(latestNote).text).size
      if (size < cited.size) latest = { note: latestNote, consistency: [] }
      else if (entries && entries.length >= size) latest = { note: latestNote, consistency: consistencyProof(memorySource(entries.slice(0, size).map((e) => leafHash(e))), cited.size, size) }
      else if (base && slug)
        latest = { note: latestNote, consistency: ((await (await get(`/campaigns/${encodeURIComponent(slug)}/log/consistency?from=${cited.size}&to=${size}`)).json()) as { proof: string[] }).proof.map((h) => decodeBase64Strict(h, 'a consistency hash')) }
      else extra.push(`the latest checkpoint (size ${size}) was not checked: give the entries up to it with --entries`)
    } catch (e) {
      latest = { note: latestNote, consistency: [] }
      extra.push(`the latest checkpoint could not be read: ${(e as Error).message}`)
    }
  }
  const result = verifyLetter(certificateText, keys, { entries, latest })
  const problems = result.problems.map((p) => p.message)
  const ok = result.checked.map((c) => c.message)
  if (!entries && result.checkpoint) extra.push('the counts were not recounted from the log: give --entries, or --url')
  const witnesses = lists.get('witness') ?? []
  if ((witnesses.length || cosigned.length) && result.checkpoint && cited) {
    const bodies = new Map<string, number>([[parseNote(cited.checkpoint).text, cited.size]])
    const notes = [{ label: 'cited by the letter', note: cited.checkpoint }, ...cosigned]
    if (latestNote && !result.problems.some((p) => p.code === 'latest-consistent')) {
      bodies.set(parseNote(latestNote).text, parseCheckpoint(parseNote(latestNote).text).size)
      notes.push({ label: 'given as the latest', note: latestNote })
    }
    const w = checkCosignatures(witnesses, notes, bodies)
    ok.push(...w.ok)
    problems.push(...w.problems)
  }
  if (pdf) {
    let salt: string | undefined
    try {
      salt = (JSON.parse(certificateText) as SignedCertificate).recipientSalt
    } catch {
      /* named above */
    }
    if (!salt) problems.push('checking the PDF needs the recipient’s salt (recipientSalt), which is in the recipient’s copy only')
    else if (!cert || pdfDigest(Buffer.from(salt, 'base64'), pdf) !== cert.pdfDigest) problems.push('the PDF is not the certified letter')
    else ok.push('the PDF is the certified letter')
  }
  for (const line of ok) lines.push(`ok: ${line}`)
  for (const line of extra) lines.push(`not checked: ${line}`)
  for (const line of problems) lines.push(`FAILED: ${line}`)
  for (const line of lines) log(line)
  if (problems.length) {
    log(`INVALID: ${problems.join('; ')}.`)
    return 1
  }
  log(`VALID: letter ${cert!.reference} (code ${cert!.code}), ${cert!.country}, ${cert!.countryCount} verified signatures of ${cert!.totalCount}${result.recount !== undefined ? ', recounted from the log' : ''}.`)
  return 0
}
