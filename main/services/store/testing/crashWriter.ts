// A process that writes messages as fast as it can and prints the id of each one after its
// transaction committed. The SIGKILL recovery test kills it mid-write.
import { openDatabase } from '../database'
import { SessionStore } from '../sessionStore'

const file = process.argv[2]
const db = openDatabase(file)
const store = new SessionStore(db)
const session = store.createSession('crash test')
let n = 0
for (;;) {
  const message = store.addMessage({
    sessionId: session.id,
    role: n % 2 ? 'assistant' : 'user',
    content: `message ${n} ${'lorem ipsum '.repeat(n % 50)}`,
    stats: n % 2 ? { modelName: 'test', completionTokens: n, tokensPerSecond: 1.5 } : null,
  })
  process.stdout.write(`committed ${message.id}\n`)
  n++
}
