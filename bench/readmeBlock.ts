// The README's benchmark tables are written by the benchmark, not by hand: a block between
// two markers is replaced with the latest run's text (see bench/peers/readme.ts).

export const blockStart = (name: string) => `<!-- bench:${name} start (generated) -->`
export const blockEnd = (name: string) => `<!-- bench:${name} end -->`

export class ReadmeBlockError extends Error {
  readonly code = 'README_BLOCK_MISSING'
}

/** `readme` with the text between the `name` markers replaced by `content`. */
export function replaceBlock(readme: string, name: string, content: string): string {
  const start = readme.indexOf(blockStart(name))
  const end = readme.indexOf(blockEnd(name))
  if (start < 0 || end < start) {
    throw new ReadmeBlockError(
      `README.md has no "${blockStart(name)}" … "${blockEnd(name)}" block to write into`,
    )
  }
  const head = readme.slice(0, start + blockStart(name).length)
  return `${head}\n${content.trimEnd()}\n${readme.slice(end)}`
}
