// A client of one database for the concurrency test: from a given moment, adds N messages
// as fast as it can and prints how many succeeded and failed.
import { openDatabase, SessionStore } from '..'

const [file, who, count, startAt] = process.argv.slice(2)
const db = openDatabase(file)
const store = new SessionStore(db)
const session = store.createSession(`from ${who}`)
// Both clients start writing at the same moment, whatever their start-up took.
while (Date.now() < Number(startAt)) {
  /* wait */
}
let ok = 0
const errors: string[] = []
for (let i = 0; i < Number(count); i++) {
  try {
    store.addMessage({ sessionId: session.id, role: 'user', content: `${who} ${i}` })
    ok++
  } catch (err) {
    errors.push(String(err))
  }
}
db.close()
process.stdout.write(JSON.stringify({ who, ok, errors: errors.slice(0, 3), failed: errors.length }))
