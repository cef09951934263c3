export { openDatabase, NotADatabaseError, DATABASE_FILE } from './database'
export { migrate, DatabaseTooNewError, type Migration } from './migrate'
export { SessionStore, toFtsQuery, type NewMessage, type MessagePatch } from './sessionStore'
