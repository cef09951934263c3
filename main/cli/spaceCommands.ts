import { parseArgs } from 'node:util'
import { SpaceService } from '../services/space/spaceService'
import type { CliCommand } from './command'
import { resolveDataDir } from './dataDir'

const sourceHelp = 'glove (default) or a model folder (its token embeddings)'

/** A space service for one command: GloVe from the data dir's cache, models loaded in-process. */
async function openSpace(source: string, dataDir: string | undefined) {
  const dir = resolveDataDir(dataDir)
  if (source === 'glove') {
    const service = new SpaceService({
      dataDir: dir,
      // The first run builds the cache (~10 s): say so on stderr, keep stdout pure JSON.
      emit: (_event, p) => {
        if (p.stage === 'convert' && p.done === 0)
          process.stderr.write('Building the GloVe cache…\n')
      },
    })
    return service.open({ kind: 'glove' })
  }
  const { inProcessModelPort } = await import('../services/space/modelPort')
  const service = new SpaceService({ dataDir: dir, models: inProcessModelPort() })
  return service.open({ kind: 'model', modelDir: source })
}

function parseK(value: string | undefined): number {
  const k = Number(value ?? 10)
  if (!Number.isInteger(k) || k < 1 || k > 1000)
    throw new Error('--k must be a whole number from 1 to 1000.')
  return k
}

const options = {
  k: { type: 'string', default: '10' },
  source: { type: 'string', default: 'glove' },
  'data-dir': { type: 'string' },
} as const

function print(results: { word: string; score: number }[]): void {
  const list = results.map((r) => ({ word: r.word, score: Number(r.score.toFixed(6)) }))
  process.stdout.write(JSON.stringify(list, null, 2) + '\n')
}

async function guarded(run: () => Promise<void>): Promise<number> {
  try {
    await run()
    return 0
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}

export const spaceCommands: Record<string, CliCommand> = {
  neighbours: {
    summary: 'Nearest words by cosine similarity, as JSON [{word, score}]',
    usage: `glassbox neighbours WORD [--k 10] [--source glove|MODEL_DIR] [--data-dir DIR]\n  --source  ${sourceHelp}`,
    run: (argv) =>
      guarded(async () => {
        const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true })
        if (positionals.length !== 1) throw new Error('Usage: glassbox neighbours WORD [--k 10]')
        const k = parseK(values.k)
        const space = await openSpace(values.source, values['data-dir'])
        print((await space.neighbours(positionals[0], k)).results)
      }),
  },
  analogy: {
    summary: 'A − B + C (king man woman → queen), as JSON [{word, score}]',
    usage: `glassbox analogy A B C [--k 10] [--source glove|MODEL_DIR] [--data-dir DIR]\n  --source  ${sourceHelp}`,
    run: (argv) =>
      guarded(async () => {
        const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true })
        if (positionals.length !== 3) throw new Error('Usage: glassbox analogy A B C [--k 10]')
        const k = parseK(values.k)
        const space = await openSpace(values.source, values['data-dir'])
        const [a, b, c] = positionals
        print((await space.analogy(a, b, c, k)).results)
      }),
  },
}
