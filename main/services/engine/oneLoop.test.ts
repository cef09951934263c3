// Every path that generates tokens goes through the one loop (generator.ts) and the one
// sampler (sampling.ts): chat, the CLI, training's before-and-after and the inspector's
// continue give the same greedy tokens for the same prompt.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel } from '../../../native-models/io'
import type { LoadedModel } from '../../../native-models/runtime/types'
import type { CallContext } from '../../contract/router'
import { createServices, type Services } from '..'
import { continueFrom } from '../inspect/localInspector'
import { findDefaultModelDir } from '../models/registry'
import { makeTempDir } from '../store/testing/tempDir'
import { TrainingService } from '../training/trainingService'
import { DEFAULT_SETTINGS } from '../training/runSettings'
import { greedyContinuation } from './modelAdapter'

const root = path.resolve(__dirname, '..', '..', '..')
const modelDir = findDefaultModelDir()!
const prompt = 'And God said unto Moses'
const maxTokens = 12

let temp: ReturnType<typeof makeTempDir>
let services: Services
let chatText: string
let chatIds: number[]

beforeAll(async () => {
  temp = makeTempDir()
  services = createServices({ dataDir: path.join(temp.dir, 'data'), mode: 'browser' })
  const ctx: CallContext = { emit: () => {} }
  const call = async (method: string, input: unknown) => {
    const reply = await services.dispatch(method, input, ctx)
    if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`)
    return reply.value as Record<string, unknown>
  }
  const session = await call('sessions.create', {})
  await call('chat.updateSettings', {
    sessionId: session.id,
    patch: { mode: 'completion', sampling: { greedy: true, repetitionPenalty: 1, maxTokens } },
  })
  const finished = new Promise<{ id: number; content: string }>((resolve) =>
    services.bus.on((name, payload) => {
      if (name === 'chat.finished')
        resolve((payload as { message: { id: number; content: string } }).message)
    }),
  )
  await call('chat.send', { sessionId: session.id, text: prompt })
  const message = await finished
  chatText = message.content
  const { tokens } = (await call('chat.tokens', { messageId: message.id })) as {
    tokens: Array<{ tokenId: number }>
  }
  chatIds = tokens.map((t) => t.tokenId)
}, 120_000)

afterAll(() => {
  services?.close()
  temp?.cleanup()
})

describe('one generation loop', () => {
  it('chat produced a greedy answer to compare against', () => {
    expect(chatIds.length).toBeGreaterThan(3)
    expect(chatText.length).toBeGreaterThan(0)
  })

  it('the CLI gives the same text', () => {
    const out = execFileSync(
      process.execPath,
      [path.join(root, 'main', 'bin', 'glassbox.cjs'), 'generate', '--model', modelDir]
        .concat(['--prompt', prompt, '--greedy', '--repetition-penalty', '1'])
        .concat(['--max-tokens', String(maxTokens)]),
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    )
    expect(out.replace(/\n$/, '')).toBe(chatText)
  })

  it("training's before-and-after gives the same text for the base model", async () => {
    const training = new TrainingService(services.db, services.bus, temp.dir, {
      recoverInterrupted: false,
      engine: services.chatDomain.engine,
    })
    const run = training.runs.create({
      modelDir,
      outDir: modelDir,
      runDir: path.join(temp.dir, 'run'),
      dataPaths: [],
      settings: DEFAULT_SETTINGS,
    })
    training.runs.update(run.id, { status: 'finished' })
    const compared = await training.compare(run.id, prompt, maxTokens)
    expect(compared.base.text).toBe(chatText)
    expect(compared.tuned.text).toBe(chatText)
  })

  it("the inspector's continue, branching on chat's first token, gives the same tokens", async () => {
    const model: LoadedModel = await loadModel(modelDir)
    try {
      const ids = model.tokenizer.encode(prompt, { addSpecialTokens: true })
      const branch = await continueFrom(
        model,
        { ids, chosenTokenId: chatIds[0], maxTokens },
        greedyContinuation('default', model),
      )
      expect(branch.ids).toEqual(chatIds)
    } finally {
      await model.dispose()
    }
  })
})
