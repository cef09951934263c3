/** One `glassbox <command>`: parses its own argv (node:util parseArgs), returns an exit code. */
export interface CliCommand {
  summary: string
  usage: string
  run(argv: string[]): Promise<number>
}
