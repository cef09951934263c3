/** One `glassbox <command>`: registered in ./index.ts, run by ../cli.ts. */
export interface CliCommand {
  /** One line for `glassbox help`. */
  summary: string
  /** Arguments after the command's name, e.g. `ID --format md|json`. */
  usage: string
  /** Runs with the arguments after the command's name (parse with node:util parseArgs). */
  run(argv: string[]): Promise<number>
}
