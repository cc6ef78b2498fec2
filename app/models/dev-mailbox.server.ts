import type { DB } from '~/db.server'

export function listMessages(db: DB, limit = 100) {
  return db
    .selectFrom('dev_mailbox')
    .select(['id', 'to_address', 'subject', 'created_at'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

export async function getMessage(db: DB, id: number) {
  // Not a row number (NaN, Infinity, 1e309): no such message, rather than an error from the database.
  if (!Number.isSafeInteger(id) || id < 1) return undefined
  return db.selectFrom('dev_mailbox').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The links in a message, so a developer (or a test) can follow them without an email client. */
export function linksIn(html: string): string[] {
  return [...new Set([...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&')))]
}
