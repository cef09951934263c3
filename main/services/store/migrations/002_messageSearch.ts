import type { Migration } from '../migrate'

// Full-text search over message text: an FTS5 index over messages.content (external content,
// https://sqlite.org/fts5.html §4.4.3), kept in step by triggers. unicode61 with diacritics
// removed, so "cafe" finds "café"; queries use word prefixes (see sessionStore.ts).
export const migration: Migration = {
  version: 2,
  name: 'messageSearch',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        content,
        content = 'messages',
        content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
        INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
      END;
      -- Messages written under version 1 get indexed too.
      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
    `)
  },
}
