// `glassbox export`: a Glassbox (Hugging Face layout) model folder → one GGUF file that
// llama.cpp, Ollama and LM Studio load.

import { parseArgs } from 'node:util'
import type { ExportType } from '../../native-models/gguf/ggmlTypes'
import { exportGguf } from '../../native-models/io/ggufExport'
import type { CliCommand } from './command'

const types: ExportType[] = ['f32', 'f16', 'q8_0', 'q4_0']
const usage = 'glassbox export --model DIR --gguf OUT.gguf [--type f32|f16|q8_0|q4_0]'

export const exportCommands: Record<string, CliCommand> = {
  export: {
    summary: 'Write a model as GGUF for llama.cpp, Ollama or LM Studio',
    usage,
    async run(argv) {
      let values: { model?: string; gguf?: string; type?: string }
      try {
        values = parseArgs({
          args: argv,
          options: {
            model: { type: 'string' },
            gguf: { type: 'string' },
            type: { type: 'string', default: 'f16' },
          },
        }).values
      } catch (error) {
        console.error(`${(error as Error).message}\nusage: ${usage}`)
        return 2
      }
      const type = values.type as ExportType
      if (!values.model || !values.gguf || !types.includes(type)) {
        console.error(`usage: ${usage}`)
        return 2
      }
      try {
        const result = exportGguf(values.model, values.gguf, type)
        const mb = (result.bytes / 2 ** 20).toFixed(1)
        console.log(
          `wrote ${result.path}: ${result.tensors} tensors, ${mb} MiB, ${type}, ${result.seconds.toFixed(1)} s`,
        )
        return 0
      } catch (error) {
        console.error(`export failed: ${(error as Error).message}`)
        return 1
      }
    },
  },
}
