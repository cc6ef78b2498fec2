import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { cosignerFromSeed, witness, type WitnessState } from '../app/transparency/cosignature'
import { parseCheckpoint } from '../app/transparency/checkpoint'
import { decodeBase64Strict, parseNote } from '../app/transparency/note'

/**
 * `node build/cli.js witness --url BASE --slug SLUG --log-key VKEY --name NAME --key SEED_FILE --state STATE_FILE [--submit]`
 *
 * A witness a partner organisation runs (ADR 084): it fetches the campaign log's checkpoint, checks
 * it with the log key it was given (never one fetched from the log), asks for a consistency proof
 * from the largest checkpoint it cosigned before, and cosigns only if the log only grew. With
 * `--submit` it hands the cosignature back to the platform, which shows it on /verify. SEED_FILE
 * holds a base64 32-byte Ed25519 seed; STATE_FILE is created on first use.
 */
export async function witnessCommand(args: string[], log: (line: string) => void = console.log, now = () => Math.floor(Date.now() / 1000)): Promise<number> {
  const flags = new Map<string, string>()
  const switches = new Set<string>()
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--submit') switches.add('submit')
    else if (args[i].startsWith('--')) flags.set(args[i].slice(2), args[++i] ?? '')
  }
  const need = ['url', 'slug', 'log-key', 'name', 'key', 'state'].filter((k) => !flags.get(k))
  if (need.length) {
    log(`Usage: witness --url BASE --slug SLUG --log-key VKEY --name NAME --key SEED_FILE --state STATE_FILE [--submit] (missing ${need.map((n) => `--${n}`).join(', ')})`)
    return 64
  }
  const base = flags.get('url')!.replace(/\/+$/, '')
  const slug = flags.get('slug')!
  const stateFile = flags.get('state')!
  const cosigner = cosignerFromSeed(flags.get('name')!, decodeBase64Strict(readFileSync(flags.get('key')!, 'utf8').trim(), 'the witness seed'))
  const state: WitnessState | null = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as WitnessState) : null

  const res = await fetch(`${base}/campaigns/${encodeURIComponent(slug)}/log/checkpoint`)
  if (!res.ok) {
    log(`No checkpoint at ${base} for ${slug} (${res.status}).`)
    return 1
  }
  const note = await res.text()
  let proof: Buffer[] = []
  try {
    const size = parseCheckpoint(parseNote(note).text).size
    if (state && size > state.size) {
      const p = await fetch(`${base}/campaigns/${encodeURIComponent(slug)}/log/consistency?from=${state.size}&to=${size}`)
      if (!p.ok) {
        log(`The log gave no consistency proof from ${state.size} to ${size} (${p.status}): not cosigning.`)
        return 1
      }
      proof = ((await p.json()) as { proof: string[] }).proof.map((h) => decodeBase64Strict(h, 'a consistency hash'))
    }
  } catch (e) {
    log(`REFUSED: ${(e as Error).message}`)
    return 1
  }
  const outcome = witness(note, flags.get('log-key')!, state, proof, cosigner, now())
  if (!outcome.ok) {
    log(`REFUSED: ${outcome.reason}`)
    return 1
  }
  // The state is written before the cosignature leaves: a crash cannot make the witness forget.
  writeFileSync(`${stateFile}.tmp`, JSON.stringify(outcome.state))
  renameSync(`${stateFile}.tmp`, stateFile)
  const cosigned = `${note}${outcome.line}`
  log(`COSIGNED ${outcome.state.origin} at size ${outcome.state.size} as ${cosigner.verifierKey}`)
  if (switches.has('submit')) {
    const sent = await fetch(`${base}/campaigns/${encodeURIComponent(slug)}/log/cosignatures`, { method: 'POST', body: new URLSearchParams({ note: cosigned }) })
    log(sent.ok ? 'Submitted to the platform.' : `The platform refused the cosignature (${sent.status}): ${(await sent.text()).slice(0, 200)}`)
    if (!sent.ok) return 1
  } else log(cosigned)
  return 0
}
