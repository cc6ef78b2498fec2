export type DatabaseTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string }

export class DatabaseUrlError extends Error {}

/**
 * What DATABASE_URL names: `postgres://` or `postgresql://` is a PostgreSQL server, a path (or
 * `:memory:`) a SQLite file; any other scheme is refused rather than taken for a file name.
 */
export function parseDatabaseUrl(value: string): DatabaseTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase()
  if (scheme === 'postgres' || scheme === 'postgresql') {
    try {
      const url = new URL(value)
      if (!url.hostname && !url.searchParams.get('host')) throw new Error('no host')
    } catch {
      throw new DatabaseUrlError('is not a valid postgres:// URL (postgres://user:password@host:5432/database)')
    }
    return { engine: 'postgres', url: value }
  }
  if (scheme === 'file') throw new DatabaseUrlError('takes a plain file path for SQLite (data/app.db), not a file: URL')
  // One letter then ':' is a Windows drive, not a scheme.
  if (scheme && scheme.length > 1 && value !== ':memory:') {
    throw new DatabaseUrlError(`names the scheme "${scheme}:": use a SQLite file path or a postgres:// URL`)
  }
  return { engine: 'sqlite', file: value }
}

/** DATABASE_URL for a log line: a PostgreSQL URL without its password. */
export function describeDatabase(target: DatabaseTarget): string {
  if (target.engine === 'sqlite') return target.file
  const url = new URL(target.url)
  if (url.password) url.password = '***'
  url.search = ''
  return `${url.toString()} (PostgreSQL)`
}
