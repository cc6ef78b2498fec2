import type { Migration } from 'kysely'
import * as m001 from './001-initial'
import * as m002 from './002-organisers'
import * as m003 from './003-campaign-admin'
import * as m004 from './004-letters'
import * as m005 from './005-moderation'
import * as m006 from './006-instances'
import * as m007a from './007-letter-form'
import * as m007b from './007-letter-pdf-failures'
import * as m008 from './008-transparency-log'
import * as m009 from './009-safety'
import * as m010 from './010-addressees'
import * as m011 from './011-log-backfill'
import * as m012 from './012-second-factor'
import * as m013 from './013-outbox-lanes'
import * as m014 from './014-key-check'
import * as m015 from './015-campaign-story'
import * as m016 from './016-news-tools'
import * as m020 from './020-batch-slices'
import * as m021 from './021-partners'
import * as m022 from './022-lead-image'
import * as m023 from './023-letter-job-resume'
import * as m024 from './024-partner-consent'
import * as m025 from './025-partner-scopes'
import * as m027 from './027-partner-api'
import * as m028 from './028-paper-signatures'
import * as m029 from './029-backfill-partial-indexes'

/** Registered in code so the migrations bundle with the server; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-organisers': m002,
  '003-campaign-admin': m003,
  '004-letters': m004,
  '005-moderation': m005,
  '006-instances': m006,
  '007-letter-form': m007a,
  '007-letter-pdf-failures': m007b,
  '008-transparency-log': m008,
  '009-safety': m009,
  '010-addressees': m010,
  '011-log-backfill': m011,
  '012-second-factor': m012,
  '013-outbox-lanes': m013,
  '014-key-check': m014,
  '015-campaign-story': m015,
  '016-news-tools': m016,
  '020-batch-slices': m020,
  '021-partners': m021,
  '022-lead-image': m022,
  '023-letter-job-resume': m023,
  '024-partner-consent': m024,
  '025-partner-scopes': m025,
  '027-partner-api': m027,
  '028-paper-signatures': m028,
  '029-backfill-partial-indexes': m029,
}
