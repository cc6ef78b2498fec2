import type { Role } from '../../app/db.server'
import { createOrganiser, setPassword } from '../../app/models/organiser.server'
import { Client } from './http'
import type { TestServer } from './server'

export const PASSWORD = 'correct horse battery staple'

/** Creates an organiser with a password and returns a client signed in as them. */
export async function signedInAs(server: TestServer, role: Role, email = `${role}-${Math.random().toString(36).slice(2)}@example.org`) {
  const organiser = await createOrganiser(server.db, server.vault, { email, role, name: `${role} tester` })
  await setPassword(server.db, organiser.id, PASSWORD)
  const client = new Client(server.url)
  const res = await client.post('/admin/login', { email, password: PASSWORD, redirectTo: '/admin' })
  if (res.status !== 302) throw new Error(`sign-in failed with ${res.status}`)
  return { client, organiser, email }
}
