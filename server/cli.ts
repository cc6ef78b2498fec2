import { loadConfig } from '../app/config.server'
import { migrateToLatest, openDatabase } from '../app/db.server'
import { reconcileCounts } from '../app/models/counts.server'
import { organiserCommand } from './organiser-cli'
import { benchLetters } from './bench-letters'
import { verifyLetterCommand } from './verify-letter'

const [command, ...args] = process.argv.slice(2)

async function reconcile() {
  const config = loadConfig(process.env, () => {})
  const { db } = openDatabase(config.databasePath)
  await migrateToLatest(db)
  const repair = !args.includes('--check')
  const drift = await reconcileCounts(db, { repair })
  if (drift.length === 0) console.log('Counts match the signatures: no drift.')
  for (const d of drift) {
    console.log(`${repair ? 'repaired' : 'drift'}: campaign ${d.campaignId} ${d.counter ? `${d.counter} ` : ''}${d.country ?? 'total'} stored ${d.stored}, recount ${d.actual}`)
  }
  await db.destroy()
  if (!repair && drift.length > 0) process.exitCode = 1
}

const commands: Record<string, () => Promise<void>> = {
  reconcile,
  organiser: () => organiserCommand(loadConfig(process.env, () => {}), args),
  'bench-letters': () => benchLetters(args),
  'verify-letter': async () => {
    process.exitCode = await verifyLetterCommand(args)
  },
}
const run = command ? commands[command] : undefined
if (!run) {
  console.error(`Usage: node build/cli.js <${Object.keys(commands).join('|')}> [--check]`)
  process.exit(64)
}
run().catch((error: Error) => {
  console.error(error.message)
  process.exit(1)
})
