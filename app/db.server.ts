// The app reaches db/ only through this module, so the browser bundle never sees it.
export { engineOf, forUpdate, isUniqueViolation, migrateToLatest, openDatabase, openSqliteDatabase, refreshPlannerStatistics, restrictToOwner, type DB, type Engine } from '../db'
export { reusableInsert } from '../db/reusable-insert'
export type * from '../db/schema'
