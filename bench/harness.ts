// What the benchmark's sections share: server processes, the load generator, and the figures' rows.
import autocannon from 'autocannon'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { freePort } from '../tests/support/ports'

const started = Date.now()

export interface Row {
  figure: string
  value: string
  target: string
  pass: boolean | null
  detail?: Record<string, unknown>
}
export const say = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`)


export interface Proc {
  child: ChildProcess
  url: string
  stop(): Promise<void>
}

export async function startProcess(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<Proc> {
  const port = await freePort()
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', APP_URL: `http://localhost:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('Serving') && resolve())
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${stderr}`)))
  })
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }).then(() => {
        if (stderr.trim()) console.log(`${script} wrote to stderr:\n${stderr.trim().slice(0, 2000)}`)
      }),
  }
}

/** Samples a process's resident memory from /proc while a phase runs. */
export function watchRss(pid: number) {
  let peak = 0
  const read = () => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
      peak = Math.max(peak, kb * 1024)
    } catch {
      // The process has gone; keep the peak seen.
    }
  }
  const timer = setInterval(read, 200)
  read()
  return () => {
    clearInterval(timer)
    read()
    return peak
  }
}

/** CPU seconds a process has used (user + system), from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

export type Result = autocannon.Result & { statusCodeStats?: Record<string, { count: number }> }

export async function load(
  name: string,
  options: autocannon.Options,
  expectStatus: number,
  pid?: number,
): Promise<{ rps: number; p99: number; ok: number; bad: Record<string, number>; cpuMs: number; result: Result }> {
  const cpuBefore = pid ? cpuSeconds(pid) : 0
  const result = (await autocannon(options)) as Result
  const cpuAfter = pid ? cpuSeconds(pid) : 0
  const codes: Record<string, number> = {}
  for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) codes[code] = s?.count ?? 0
  const ok = codes[String(expectStatus)] ?? 0
  const bad: Record<string, number> = Object.fromEntries(Object.entries(codes).filter(([code]) => code !== String(expectStatus)))
  if (result.errors) bad.errors = result.errors
  if (result.timeouts) bad.timeouts = result.timeouts
  const rps = ok / result.duration
  // Server CPU per request: a figure the other load on a shared machine disturbs far less than rates.
  const cpuMs = pid && result.requests.total ? ((cpuAfter - cpuBefore) * 1000) / result.requests.total : 0
  say(
    `${name}: ${rps.toFixed(0)}/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${ok} × ${expectStatus}` +
      `${pid ? `, server CPU ${cpuMs.toFixed(2)} ms/request` : ''}${Object.keys(bad).length ? `, others ${JSON.stringify(bad)}` : ''}`,
  )
  return { rps, p99: result.latency.p99, ok, bad, cpuMs, result }
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
export const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024)} MB`


/** Prints the figures as one table: figure, measured, target, pass/FAIL ("—" where there is no target). */
export function printTable(rows: Row[]) {
  const width = Math.max(...rows.map((r) => r.figure.length))
  const valueWidth = Math.max(...rows.map((r) => r.value.length))
  console.log(`\n${'figure'.padEnd(width)} | ${'measured'.padEnd(valueWidth)} | target | result`)
  console.log(`${'-'.repeat(width)}-|-${'-'.repeat(valueWidth)}-|--------|-------`)
  for (const r of rows) console.log(`${r.figure.padEnd(width)} | ${r.value.padEnd(valueWidth)} | ${r.target} | ${r.pass === null ? '—' : r.pass ? 'pass' : 'FAIL'}`)
}
