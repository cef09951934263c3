// A stopped run resumes only on the text it started on, unless the person says otherwise:
// training on other text from its checkpoint would mix two trainings silently.
import { createHash } from 'node:crypto'
import { ApiError } from '../../contract/define'
import { dataChanges, readCheckpointMeta, type DataFileHash } from './checkpoint'
import type { FileVerdict } from './dataFiles'

/** The accepted files with their text's SHA-256 (texts[i] belongs to the i-th accepted one). */
export function hashAccepted(verdicts: FileVerdict[], texts: string[]): DataFileHash[] {
  return verdicts
    .filter((v) => v.status === 'accepted')
    .map((v, i) => ({ path: v.path, sha256: createHash('sha256').update(texts[i]).digest('hex') }))
}

/** The refusal to resume, or null when the files are those the run's checkpoint was made on. */
export function changedDataError(runDir: string, now: DataFileHash[]): ApiError | null {
  const before = readCheckpointMeta(runDir)
  const changes = before?.dataFiles ? dataChanges(before.dataFiles, now) : []
  if (!before || !changes.length) return null
  return new ApiError(
    'needs_confirmation',
    `The training files changed since this run stopped at step ${before.step}: ` +
      `${changes.join('; ')}. Start a new run on them, or resume anyway (command line: ` +
      `--accept-changed-data).`,
  )
}
