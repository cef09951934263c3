// Run by crash.test.ts in its own process, which the test kills with SIGKILL mid-answer:
// `node --import tsx crashDrill.ts DATA_DIR`. A slow toy model keeps the answer streaming.
import path from 'node:path'
import { createChatFixture, writeStubModelFolder } from './testing'

const dataDir = process.argv[2]
const f = createChatFixture({ dataDir, decodeDelayMs: 10 })
f.registry.add(writeStubModelFolder(path.join(dataDir, 'toy-model')))
const session = f.store.createSession('crash drill')
f.chat.send(session.id, 'a message that must survive', { greedy: true, maxTokens: 100_000 })
console.log(`streaming ${session.id}`)
