import type { Migration } from 'kysely'
import * as m001 from './001-initial'

/** Registered in code so the migrations bundle with the server; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
}
