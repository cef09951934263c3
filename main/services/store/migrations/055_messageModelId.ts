import type { Migration } from '../migrate'

// A message named its model by the registry's name, which two models can share and a rename
// changes. It now points at the registry row (null once that model is removed), and keeps the
// name beside it for the stats line and for models that are gone.
export const migration: Migration = {
  version: 55,
  name: 'messageModelId',
  up(db) {
    db.exec(`
      ALTER TABLE messages RENAME COLUMN model_id TO model_name;
      ALTER TABLE messages ADD COLUMN model_id INTEGER REFERENCES models (id) ON DELETE SET NULL;
      UPDATE messages SET model_id = (SELECT MIN(id) FROM models WHERE models.name = messages.model_name)
        WHERE model_name IS NOT NULL;
    `)
  },
}
