// The app reaches db/ only through this module, so the browser bundle never sees it.
export { isUniqueViolation, migrateToLatest, openDatabase, restrictToOwner, type DB } from '../db'
export { reusableInsert } from '../db/reusable-insert'
export type * from '../db/schema'
