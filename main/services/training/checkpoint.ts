import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SafetensorsWeights, writeSafetensors } from '../../../native-models/io/safetensors'
import type { TrainerState } from '../../../native-models/training/trainer'

// Checkpoints: parameters and Adam moments in one safetensors file, the loop's position and
// loss curve in a JSON file. Both are written to a temp file and renamed (atomic on POSIX),
// JSON last, and the JSON names the step the tensors belong to, so a crash mid-write leaves
// the previous checkpoint whole.

export interface CheckpointMeta {
  step: number
  tokensSeen: number
  curve: { step: number; trainLoss: number; valLoss?: number; lr: number }[]
  elapsedSeconds: number
  /** The accepted files and their text's SHA-256, to tell a resume that they changed. */
  dataFiles?: DataFileHash[]
}

export interface DataFileHash {
  path: string
  sha256: string
}

/** What changed between the files a run started on and the files there now, in words. */
export function dataChanges(before: DataFileHash[], now: DataFileHash[]): string[] {
  const was = new Map(before.map((f) => [f.path, f.sha256]))
  const is = new Map(now.map((f) => [f.path, f.sha256]))
  const changes: string[] = []
  for (const [path, sha] of is) {
    if (!was.has(path)) changes.push(`${path} is new`)
    else if (was.get(path) !== sha) changes.push(`${path} changed`)
  }
  for (const path of was.keys()) if (!is.has(path)) changes.push(`${path} is gone or unusable`)
  return changes
}

export function readCheckpointMeta(dir: string): CheckpointMeta | null {
  const file = join(dir, 'checkpoint', 'state.json')
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CheckpointMeta) : null
}

export function writeCheckpoint(
  dir: string,
  names: string[],
  shapes: number[][],
  state: TrainerState,
  meta: CheckpointMeta,
): void {
  const ckpt = join(dir, 'checkpoint')
  mkdirSync(ckpt, { recursive: true })
  const tensors = names.flatMap((n, i) => [
    { name: `param/${n}`, shape: shapes[i], data: state.params[i] },
    { name: `adam_m/${n}`, shape: shapes[i], data: state.m[i] },
    { name: `adam_v/${n}`, shape: shapes[i], data: state.v[i] },
  ])
  // SafetensorsWeights reads model.safetensors from a folder; the name is only a container.
  writeSafetensors(join(ckpt, 'model.safetensors'), tensors, 'F32', {
    format: 'pt',
    step: String(state.step),
  })
  const tmp = join(ckpt, '.state.json.tmp')
  writeFileSync(tmp, JSON.stringify(meta))
  renameSync(tmp, join(ckpt, 'state.json'))
}

export function readCheckpoint(
  dir: string,
  names: string[],
): { state: TrainerState; meta: CheckpointMeta } | null {
  const ckpt = join(dir, 'checkpoint')
  if (!existsSync(join(ckpt, 'state.json'))) return null
  const meta = JSON.parse(readFileSync(join(ckpt, 'state.json'), 'utf8')) as CheckpointMeta
  const w = new SafetensorsWeights(ckpt)
  const copy = (n: string): Float32Array => Float32Array.from(w.f32(n))
  return {
    meta,
    state: {
      step: meta.step,
      params: names.map((n) => copy(`param/${n}`)),
      m: names.map((n) => copy(`adam_m/${n}`)),
      v: names.map((n) => copy(`adam_v/${n}`)),
    },
  }
}
