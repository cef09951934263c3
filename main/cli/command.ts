// The agreed CLI command shape (BRIEF "CLI"); the shell's copy of this file wins on merge.
export interface CliCommand {
  summary: string
  usage: string
  run(argv: string[]): Promise<number>
}
