import { parseArgs } from 'node:util'
import type { AppConfig } from '../app/config.server'
import { migrateToLatest, openDatabase, type Role } from '../app/db.server'
import { audit, createOrganiser, findOrganiserByEmail, issuePasswordToken, ROLES, setPassword } from '../app/models/organiser.server'
import { vaultFor } from '../app/infra/vault.server'
import { NewPasswordSchema } from '../app/utils/password-schema'

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
}

/**
 * `organiser add EMAIL --role admin [--name NAME] [--password-stdin]`: creates an organiser and prints a
 * one-time link to set the password (or sets it from standard input, for scripts).
 */
export async function organiserCommand(config: AppConfig, args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { role: { type: 'string', default: 'organiser' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  })
  const [sub, email] = positionals
  if (sub !== 'add' || !email) throw new Error('Usage: npm run organiser -- add EMAIL --role admin|organiser|viewer [--name NAME] [--password-stdin]')
  const role = values.role as Role
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`)
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw new Error('That is not an email address.')

  const { db } = openDatabase(config.databasePath)
  try {
    await migrateToLatest(db)
    const vault = vaultFor(config)
    if (await findOrganiserByEmail(db, vault, email)) throw new Error('An organiser with that email already exists.')
    let password: string | null = null
    if (values['password-stdin']) {
      password = await readStdin()
      const checked = NewPasswordSchema.safeParse({ password, confirm: password })
      if (!checked.success) throw new Error(checked.error.issues[0].message)
    }
    const organiser = await createOrganiser(db, vault, { email, role, name: values.name })
    await audit(db, { organiserId: null, action: 'organiser-created', target: organiser.id, details: { role, via: 'cli' } })
    if (password) {
      await setPassword(db, organiser.id, password)
      console.log(`Created ${role} ${email}; the password is set.`)
    } else {
      const token = await issuePasswordToken(db, organiser.id, 'set-password')
      console.log(`Created ${role} ${email}. One-time link to set the password (valid 24 hours):`)
      console.log(`${config.appUrl}/admin/password/${token}`)
    }
  } finally {
    await db.destroy()
  }
}
