import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { TestProject } from 'vitest/node'

/**
 * With TEST_DATABASE_URL (a PostgreSQL server's maintenance database), the run makes a database of
 * its own, which every test divides into schemas, and drops it at the end.
 */
export default async function setup(project: TestProject) {
  const admin = process.env.TEST_DATABASE_URL
  if (!admin) {
    project.provide('postgresRunUrl', '')
    return
  }
  const name = `petitions_test_${Date.now()}_${randomBytes(3).toString('hex')}`
  const run = async (text: string) => {
    const client = new pg.Client({ connectionString: admin })
    await client.connect()
    try {
      await client.query(text)
    } finally {
      await client.end()
    }
  }
  await run(`create database ${name}`)
  const url = new URL(admin)
  url.pathname = `/${name}`
  project.provide('postgresRunUrl', url.toString())
  return async () => {
    await run(`drop database if exists ${name} with (force)`)
  }
}
