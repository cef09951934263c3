// npm run bench [-- section ...]: runs bench/<section>.ts (all known sections when none are
// named), prints each one's table and writes its JSON to bench/results/<section>.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cpuHeader, cpuInfo } from './cpuInfo'

const sections: Record<string, () => Promise<{ run(): Promise<Record<string, unknown>> }>> = {
  models: () => import('./models'),
  chat: () => import('./chat'),
  api: () => import('./api'),
  inside: () => import('./inside'),
  space: () => import('./space'),
  training: () => import('./training'),
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const chosen = names.length ? names : Object.keys(sections)
  // Kernels differ by CPU (AVX2, AVX-512, VNNI): every run says which one it measured.
  const cpu = cpuInfo()
  console.log(cpuHeader(cpu))
  for (const name of chosen) {
    const load = sections[name]
    if (!load) {
      console.error(`unknown bench section ${name} (known: ${Object.keys(sections).join(', ')})`)
      process.exitCode = 1
      continue
    }
    console.log(`\n== bench: ${name}`)
    const result = await (await load()).run()
    const dir = join(process.cwd(), 'bench', 'results')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, `${name}.json`),
      JSON.stringify({ date: new Date().toISOString(), cpu, ...result }, null, 2),
    )
    console.log(`wrote bench/results/${name}.json`)
  }
}

void main()
