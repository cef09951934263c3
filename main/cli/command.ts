/** One `glassbox <command>`: the agreed shape (see BRIEF "CLI"); returns an exit code. */
export interface CliCommand {
  summary: string
  usage: string
  run(argv: string[]): Promise<number>
}
