// `glassbox chat --model DIR`: the same chat service and database as the app, in a terminal.
import readline from 'node:readline'
import { parseArgs } from 'node:util'
import type { SamplingSettings } from '../contract/chat'
import type { PromptLimits } from '../contract/sessions'
import { createServices } from '../services'
import type { CliCommand } from './command'
import { dataDirOption, resolveDataDir } from './dataDir'

const usage = `glassbox chat --model DIR [options]

  --model DIR          a Hugging Face model folder or a .gguf file (added to the Models list)
  --data-dir DIR       where Glassbox keeps its database (default: the app's)
  --session ID         continue a saved chat instead of starting one
  --system TEXT        system prompt
  --completion         continue text instead of answering turns (base models)
  --temperature X  --top-k K  --top-p P  --min-p P  --repetition-penalty R
  --seed S  --max-tokens N  --greedy  --quantization none|int8|int4

In the chat: Ctrl+C stops an answer (twice quits), /regen answers again, /exit quits.`

function samplingFrom(values: Record<string, string | boolean | undefined>) {
  const out: Partial<SamplingSettings> = {}
  const num = (k: string) => (typeof values[k] === 'string' ? Number(values[k]) : undefined)
  const set = <K extends keyof SamplingSettings>(key: K, v: number | undefined) => {
    if (v !== undefined && Number.isFinite(v)) out[key] = v as SamplingSettings[K]
  }
  set('temperature', num('temperature'))
  set('topK', num('top-k'))
  set('topP', num('top-p'))
  set('minP', num('min-p'))
  set('repetitionPenalty', num('repetition-penalty'))
  set('seed', num('seed'))
  set('maxTokens', num('max-tokens'))
  if (values.greedy) out.greedy = true
  return out
}

async function runChat(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      ...dataDirOption,
      session: { type: 'string' },
      system: { type: 'string' },
      completion: { type: 'boolean' },
      temperature: { type: 'string' },
      'top-k': { type: 'string' },
      'top-p': { type: 'string' },
      'min-p': { type: 'string' },
      'repetition-penalty': { type: 'string' },
      seed: { type: 'string' },
      'max-tokens': { type: 'string' },
      greedy: { type: 'boolean' },
      quantization: { type: 'string' },
    },
  })
  if (!values.model) {
    console.error(usage)
    return 2
  }
  const services = createServices({
    dataDir: resolveDataDir(values['data-dir']),
    mode: 'cli',
  })
  const { chat, registry } = services.chatDomain
  try {
    const quantization = values.quantization as 'none' | 'int8' | 'int4' | undefined
    const model = registry.add(values.model, { quantization })
    if (quantization && model.quantization !== quantization) {
      registry.setQuantization(model.id, quantization)
    }
    const sessionId = values.session
      ? services.store.getSession(Number(values.session)).id
      : services.store.createSession(`Terminal chat with ${model.name}`).id
    chat.updateSettings(sessionId, {
      modelId: model.id,
      ...(values.system !== undefined ? { systemPrompt: values.system } : {}),
      ...(values.completion ? { mode: 'completion' as const } : {}),
      sampling: samplingFrom(values),
    })
    return await converse(services, sessionId, model.name)
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    return 1
  } finally {
    await chat.stopAll()
    services.close()
  }
}

async function converse(
  services: ReturnType<typeof createServices>,
  sessionId: number,
  modelName: string,
): Promise<number> {
  const { chat } = services.chatDomain
  const out = process.stdout
  const unsubscribe = services.bus.on((event, payload) => {
    const p = payload as { sessionId?: number }
    if (p.sessionId !== sessionId) return
    if (event === 'chat.started') {
      for (const line of limitLines(payload as PromptLimits)) out.write(`[${line}]\n`)
    } else if (event === 'chat.token') {
      out.write((payload as { text: string }).text)
    } else if (event === 'chat.finished') {
      const { message, finishReason } = payload as {
        message: { content: string; stats: Record<string, number | null> | null }
        finishReason: string
      }
      const s = message.stats
      const line = s
        ? `${s.completionTokens} tokens · ${(s.tokensPerSecond ?? 0).toFixed(1)} tok/s · first token ${Math.round(s.timeToFirstTokenMs ?? 0)} ms · ${finishReason}`
        : finishReason
      out.write(`\n\x1b[2m[${line}]\x1b[0m\n`)
    }
  })
  const interactive = process.stdin.isTTY === true
  if (interactive) out.write(`Chatting with ${modelName} (session ${sessionId}). /exit quits.\n`)
  const rl = readline.createInterface({ input: process.stdin, terminal: interactive })
  rl.on('SIGINT', () => {
    if (chat.thread(sessionId).generatingId !== null) {
      chat.stop(sessionId)
    } else rl.close()
  })
  const prompt = () => interactive && out.write('> ')
  prompt()
  for await (const line of rl) {
    const text = line.trim()
    if (!text) {
      prompt()
      continue
    }
    if (text === '/exit') break
    try {
      if (text === '/regen') {
        const last = chat.thread(sessionId).messages.at(-1)
        if (last) chat.regenerate(sessionId, last.message.id)
      } else chat.send(sessionId, text)
      await chat.settled(sessionId)
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err))
    }
    prompt()
  }
  unsubscribe()
  rl.close()
  return 0
}

export const chatCommands: Record<string, CliCommand> = {
  chat: { summary: 'chat with a local model in the terminal', usage, run: runChat },
}

/** What the context cut, in numbers (the app says the same in its own words). */
function limitLines(l: PromptLimits): string[] {
  const out: string[] = []
  if (l.maxTokens < l.requestedMaxTokens) {
    out.push(
      `max tokens: asked ${l.requestedMaxTokens}, the model's context (${l.contextLength} tokens) leaves ${l.maxTokens}`,
    )
  }
  if (l.fullPromptTokens > l.promptTokens) {
    const what = l.droppedTurns
      ? `${l.droppedTurns} oldest turns left out`
      : 'the start of the text left out'
    out.push(
      `prompt cut to fit the context: kept the last ${l.promptTokens} of ${l.fullPromptTokens} tokens; ${what}`,
    )
  }
  return out
}
