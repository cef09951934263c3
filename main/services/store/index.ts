export {
  openDatabase,
  NotADatabaseError,
  DamagedDatabaseError,
  EmptyDatabaseError,
  DATABASE_FILE,
} from './database'
export { backupIfStale, listBackups, restoreNewest, setAside, quickCheck } from './backup'
export { migrate, DatabaseTooNewError, type Migration } from './migrate'
export { SessionStore, toFtsQuery, type NewMessage, type MessagePatch } from './sessionStore'
