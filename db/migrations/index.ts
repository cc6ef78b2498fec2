import type { Migration } from 'kysely'
import * as m001 from './001-initial'
import * as m002 from './002-organisers'
import * as m003 from './003-campaign-admin'
import * as m004 from './004-letters'
import * as m005 from './005-moderation'
import * as m008 from './008-transparency-log'

/** Registered in code so the migrations bundle with the server; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-organisers': m002,
  '003-campaign-admin': m003,
  '004-letters': m004,
  '005-moderation': m005,
  '008-transparency-log': m008,
}
