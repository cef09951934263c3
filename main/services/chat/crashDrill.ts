// Run by crash.test.ts in its own process, which the test kills with SIGKILL mid-answer:
// `node --import tsx crashDrill.ts DATA_DIR`. A slow toy model keeps the answer streaming;
// each token's running text length goes to stdout as it is shown, so the test knows what a
// person had seen when the kill came. The service's own flush interval is used.
import path from 'node:path'
import { createChatFixture, writeStubModelFolder } from './testing'

const dataDir = process.argv[2]
const f = createChatFixture({ dataDir, decodeDelayMs: 10, flushIntervalMs: undefined })
f.registry.add(writeStubModelFolder(path.join(dataDir, 'toy-model')))
const session = f.store.createSession('crash drill')
let shown = 0
f.bus.on((event, payload) => {
  if (event !== 'chat.token') return
  shown += (payload as { text: string }).text.length
  process.stdout.write(`shown ${shown}\n`)
})
f.chat.send(session.id, 'a message that must survive', { greedy: true, maxTokens: 100_000 })
