import { parseArgs } from 'node:util'
import { loadModel } from '../../native-models/io'
import { inspectionJson, inspectText } from '../services/inspect/localInspector'
import type { CliCommand } from './command'

const usage = `glassbox inspect --model DIR|FILE.gguf (--text T | --file F) [--top-k K] [--no-attention]

Prints JSON: tokens, per-position top-k (with the actual next token), attention
[layer][head][query][key], logit lens [layer][position] (row 0 = embeddings) and
per-layer contribution norms.`

export const inspectCommands: Record<string, CliCommand> = {
  inspect: {
    summary: 'Look inside a model on a text: tokens, top-k, attention, logit lens, layer norms',
    usage,
    async run(argv) {
      const { values } = parseArgs({
        args: argv,
        options: {
          model: { type: 'string' },
          text: { type: 'string' },
          file: { type: 'string' },
          'top-k': { type: 'string', default: '5' },
          'no-attention': { type: 'boolean', default: false },
        },
        strict: true,
      })
      let text = values.text
      if (values.file !== undefined) {
        const { readFileSync } = await import('node:fs')
        text = readFileSync(values.file, 'utf8')
      }
      const topK = Number(values['top-k'])
      if (!values.model || !text || !Number.isInteger(topK) || topK < 1) {
        process.stderr.write(`${usage}\n`)
        return 2
      }
      const model = await loadModel(values.model)
      try {
        const result = await inspectText(model, {
          modelId: 0,
          modelName: model.info.name,
          text,
          topK,
        })
        const json = inspectionJson(result)
        const out = values['no-attention'] ? { ...json, attention: undefined } : json
        process.stdout.write(`${JSON.stringify(out)}\n`)
        return 0
      } finally {
        await model.dispose()
      }
    },
  },
}
