/** A `glassbox <command>`: returns the process exit code. Parse argv with node:util parseArgs. */
export interface CliCommand {
  summary: string
  usage: string
  run(argv: string[]): Promise<number>
}
