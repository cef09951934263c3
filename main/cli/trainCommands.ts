import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_SETTINGS, runTraining, type RunProgress } from '../services/training/trainingRun'
import { ApiError } from '../contract/define'
import { checkOutputFolder } from '../services/training/outputFolder'
import type { CliCommand } from './command'

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--'
  const s = Math.round(seconds)
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
}

/** One line, redrawn in place on a terminal, appended otherwise (logs, pipes). */
export function progressLine(p: RunProgress, width = 24): string {
  const done = Math.round((p.step / p.totalSteps) * width)
  const bar = '█'.repeat(done) + '░'.repeat(width - done)
  const val = p.valLoss === null ? '' : ` val ${p.valLoss.toFixed(3)}`
  return `${bar} ${p.step}/${p.totalSteps} loss ${p.trainLoss.toFixed(3)}${val} lr ${p.lr.toExponential(1)} ${p.tokensPerSecond.toFixed(0)} tok/s ETA ${duration(p.etaSeconds)}`
}

export class BadFlagError extends Error {
  readonly code = 'bad_flag'
}

type FlagReader = (name: NumericFlag, fallback: number) => number

/** Which values each numeric flag takes; anything else is refused before training starts. */
const NUMERIC_FLAGS = {
  'lora-rank': { integer: true, min: 0, what: 'a whole number, 0 for full fine-tuning' },
  'lora-alpha': { integer: false, min: 0, what: 'a number above 0', above: true },
  'lora-dropout': { integer: false, min: 0, max: 0.99, what: 'a number from 0 to 0.99' },
  epochs: { integer: false, min: 0, what: 'a number above 0', above: true },
  steps: { integer: true, min: 0, what: 'a whole number (0: use --epochs)' },
  batch: { integer: true, min: 1, what: 'a whole number from 1' },
  'seq-len': { integer: true, min: 2, what: 'a whole number from 2' },
  lr: { integer: false, min: 0, max: 1, what: 'a number above 0 and at most 1', above: true },
  seed: { integer: true, min: 0, what: 'a whole number from 0' },
  threads: { integer: true, min: 0, what: 'a whole number (0: all cores)' },
  'checkpoint-every': { integer: true, min: 1, what: 'a whole number from 1' },
} as const
type NumericFlag = keyof typeof NUMERIC_FLAGS

/** Reads a numeric flag, refusing text that is not the number it must be (`--steps abc`). */
export function flagReader(values: Partial<Record<string, unknown>>): FlagReader {
  return (name, fallback) => {
    const raw = values[name]
    if (raw === undefined) return fallback
    const rule: { integer: boolean; min: number; max?: number; above?: boolean; what: string } =
      NUMERIC_FLAGS[name]
    const text = String(raw).trim()
    const n = text === '' ? NaN : Number(text)
    const ok =
      Number.isFinite(n) &&
      (!rule.integer || Number.isInteger(n)) &&
      (rule.above ? n > rule.min : n >= rule.min) &&
      (rule.max === undefined || n <= rule.max)
    if (!ok) throw new BadFlagError(`--${name} must be ${rule.what}, not "${String(raw)}".`)
    return n
  }
}

function validateFlags(num: FlagReader): void {
  for (const name of Object.keys(NUMERIC_FLAGS) as NumericFlag[]) num(name, 0)
}

export const trainCommands: Record<string, CliCommand> = {
  train: {
    summary: 'Fine-tune a model on .txt/.md files (full or LoRA) and write a new model folder.',
    usage:
      '--model DIR --data PATH... --out DIR [--lora-rank R] [--lora-alpha A] [--lora-targets q_proj,v_proj] [--lora-dropout P] [--epochs N] [--steps N] [--batch N] [--seq-len N] [--lr X] [--seed N] [--threads N] [--run-dir DIR] [--checkpoint-every N] [--accept-changed-data] [--overwrite]',
    async run(argv) {
      const { values, positionals } = parseArgs({
        args: argv,
        // `--data a.txt notes/ b.md`: paths after --data arrive as positionals.
        allowPositionals: true,
        options: {
          model: { type: 'string' },
          data: { type: 'string', multiple: true },
          out: { type: 'string' },
          'lora-rank': { type: 'string' },
          'lora-alpha': { type: 'string' },
          'lora-targets': { type: 'string' },
          'lora-dropout': { type: 'string' },
          epochs: { type: 'string' },
          steps: { type: 'string' },
          batch: { type: 'string' },
          'seq-len': { type: 'string' },
          lr: { type: 'string' },
          seed: { type: 'string' },
          threads: { type: 'string' },
          'run-dir': { type: 'string' },
          'checkpoint-every': { type: 'string' },
          'accept-changed-data': { type: 'boolean' },
          overwrite: { type: 'boolean' },
        },
      })
      const data = [...(values.data ?? []), ...positionals]
      if (!values.model || !data.length || !values.out) {
        console.error('glassbox train needs --model DIR, --data PATH (one or more) and --out DIR.')
        return 2
      }
      let num: FlagReader
      try {
        num = flagReader(values)
        validateFlags(num)
      } catch (err) {
        if (!(err instanceof BadFlagError)) throw err
        console.error(`glassbox train: ${err.message}`)
        return 2
      }
      const rank = num('lora-rank', 0)
      const settings = {
        ...DEFAULT_SETTINGS,
        modelDir: values.model,
        dataPaths: data,
        outDir: values.out,
        runDir: values['run-dir'] ?? join(values.out, '.run'),
        mode: rank > 0 ? ('lora' as const) : ('full' as const),
        loraRank: rank > 0 ? rank : DEFAULT_SETTINGS.loraRank,
        loraAlpha: num('lora-alpha', 2 * (rank || DEFAULT_SETTINGS.loraRank)),
        loraTargets: values['lora-targets']?.split(',') ?? DEFAULT_SETTINGS.loraTargets,
        loraDropout: num('lora-dropout', 0),
        epochs: num('epochs', DEFAULT_SETTINGS.epochs),
        maxSteps: num('steps', 0),
        batchSize: num('batch', DEFAULT_SETTINGS.batchSize),
        seqLen: num('seq-len', DEFAULT_SETTINGS.seqLen),
        learningRate: num('lr', DEFAULT_SETTINGS.learningRate),
        seed: num('seed', DEFAULT_SETTINGS.seed),
        threads: num('threads', 0),
        checkpointEvery: num('checkpoint-every', DEFAULT_SETTINGS.checkpointEvery),
        acceptChangedData: values['accept-changed-data'] ?? false,
      }
      try {
        checkOutputFolder(settings.outDir, settings.modelDir, {
          confirmedNotEmpty: values.overwrite ?? false,
        })
      } catch (err) {
        if (!(err instanceof ApiError)) throw err
        console.error(
          `glassbox train: ${err.message}${err.code === 'needs_confirmation' ? ' (--overwrite confirms.)' : ''}`,
        )
        return 2
      }
      const tty = process.stdout.isTTY
      const result = await runTraining(settings, {
        onFiles(verdicts, plan) {
          for (const v of verdicts)
            console.log(`${v.status.padEnd(8)} ${v.path}${v.reason ? ` (${v.reason})` : ''}`)
          console.log(
            `${plan.tokens} tokens, ${plan.totalSteps} steps (${settings.mode}${settings.mode === 'lora' ? ` rank ${settings.loraRank}` : ''})`,
          )
        },
        onProgress(p) {
          const line = progressLine(p)
          if (tty) process.stdout.write(`\r${line}`)
          else if (p.step % 10 === 0 || p.step === p.totalSteps) console.log(line)
        },
      })
      if (tty) process.stdout.write('\n')
      const ppl = (x: number): string => (Number.isFinite(x) ? Math.exp(x).toFixed(2) : 'n/a')
      console.log(
        `held-out perplexity ${ppl(result.baseValLoss)} → ${ppl(result.finalValLoss)}; model written to ${settings.outDir}`,
      )
      return 0
    },
  },
}
