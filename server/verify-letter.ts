import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { verifyCertificate, type SignedCertificate } from '../app/letters/certificate.server'

/**
 * `npm run verify-letter -- FILE_OR_CODE [--cert FILE] [--key FILE] [--url BASE]`
 *
 * FILE a letter PDF (its certificate is FILE with .certificate.json instead of .pdf, as in the zip,
 * or --cert) or a certificate JSON. The public key comes from --key (PEM, or the JSON published at
 * /.well-known/petition-signing-key): with both files at hand the check is entirely offline. A
 * verification CODE instead fetches the certificate and the key from --url.
 */
export async function verifyLetterCommand(args: string[], log: (line: string) => void = console.log): Promise<number> {
  const flags = new Map<string, string>()
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('--')) flags.set(args[i].slice(2), args[++i] ?? '')
    else positional.push(args[i])
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
