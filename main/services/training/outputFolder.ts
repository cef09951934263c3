// Where a training run writes its model. Glassbox picks a fresh folder under the data folder,
// named after the run, unless the person picks one; a picked folder is refused when it is
// (or holds, or lies inside) the source model's folder, and needs a confirmation when it
// already holds files, since the run replaces model.safetensors and config.json there.
import { existsSync, readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { ApiError } from '../../contract/define'

/** The checkpoint folder the CLI keeps inside the output folder: not someone else's files. */
export const RUN_STATE_DIR = '.run'

/** The folder of a run whose output nobody picked: <data folder>/trained/<model>-run-<id>. */
export function defaultOutputFolder(dataDir: string, modelName: string, runId: number): string {
  const slug = modelName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'model'
  return join(dataDir, 'trained', `${slug}-run-${runId}`)
}

const within = (inner: string, outer: string): boolean => {
  const rel = relative(outer, inner)
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'))
}

/** Throws a typed error naming the folder when the run must not (or not yet) write there. */
export function checkOutputFolder(
  outDir: string,
  modelDir: string,
  opts: { confirmedNotEmpty?: boolean } = {},
): void {
  const out = resolve(outDir)
  const model = resolve(modelDir)
  if (within(out, model) || within(model, out)) {
    throw new ApiError(
      'bad_request',
      `The output folder ${out} is the source model's folder (${model}) or shares it: ` +
        `training would overwrite the weights it reads. Pick another folder.`,
    )
  }
  if (!existsSync(out) || opts.confirmedNotEmpty) return
  // A run killed midway resumes into its own folder: what is there came from that run.
  if (existsSync(join(out, RUN_STATE_DIR, 'checkpoint', 'state.json'))) return
  const entries = readdirSync(out).filter((e) => e !== RUN_STATE_DIR)
  if (entries.length) {
    throw new ApiError(
      'needs_confirmation',
      `The output folder ${out} is not empty (${entries.slice(0, 3).join(', ')}` +
        `${entries.length > 3 ? ', …' : ''}): the trained model would replace files there. ` +
        `Confirm to write into it, or pick an empty folder.`,
    )
  }
}
