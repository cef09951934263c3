// Types of findBrowser.cjs for the TypeScript that imports it (the e2e config, its test).
export interface BrowserFacts {
  env: Record<string, string | undefined>
  platform: string
  isRoot: boolean
  hasApt: boolean
  online: boolean
  exists: (file: string) => boolean
  playwrightBrowser: string | null
}
export type BrowserPlan =
  | { kind: 'found'; path: string | null }
  | { kind: 'install'; command: string; argv: string[]; say: string }
  | { kind: 'stop'; command: string; say: string }
export function planBrowser(facts: BrowserFacts): BrowserPlan
export function machineFacts(online: boolean): BrowserFacts
export function systemBrowser(
  env: Record<string, string | undefined>,
  platform: string,
  exists: (file: string) => boolean,
): string | null
export function ensureBrowser(): { ok: boolean; path: string | null }
