import type { Migration } from 'kysely'
import * as m001 from './001-initial'
import * as m002 from './002-organisers'
import * as m004 from './004-letters'

/** Registered in code so the migrations bundle with the server; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-organisers': m002,
  '004-letters': m004,
}
