import pg from 'pg'

/**
 * Counts and epoch-millisecond times are bigints on PostgreSQL, which pg hands back as strings; they
 * stay far below 2^53, so they are read as numbers (as SQLite gives them), and so are numeric sums.
 */
export const PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v)
    return pg.types.getTypeParser(oid, format as 'text')
  },
} as pg.CustomTypesConfig
