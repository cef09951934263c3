// glassbox models list|add|remove|search|pull: the registry, the models on disk and the hub.
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { DownloadProgress } from '../contract/hub'
import { defaultModelLibraries, discoverModels } from '../services/models/discovery'
import { searchModels } from '../services/models/hub/hubClient'
import {
  CACHE_DIR_SETTING,
  type HubConfig,
  parseRepoRef,
  resolveHubConfig,
} from '../services/models/hub/hubConfig'
import { HubTokenStore } from '../services/models/hub/hubToken'
import { pullModel } from '../services/models/hub/pull'
import { ModelRegistry } from '../services/models/registry'
import { DATABASE_FILE, openDatabase, SessionStore } from '../services/store'
import type { CliCommand } from './command'
import { dataDirOption, resolveDataDir } from './dataDir'

function openRegistry(dataDir: string | undefined): { registry: ModelRegistry; close(): void } {
  const db = openDatabase(path.join(resolveDataDir(dataDir), DATABASE_FILE))
  return { registry: new ModelRegistry(db), close: () => db.close() }
}

/**
 * The app's hub settings for this data folder: HF_TOKEN, else the token saved in the Models
 * tab (unless Electron sealed it with the OS keychain, which the CLI cannot open), else
 * HF_HOME/token; the cache folder picked there, else HF_HUB_CACHE / HF_HOME.
 */
function cliHubConfig(dataDir: string | undefined, withCache: boolean): HubConfig {
  const dir = resolveDataDir(dataDir)
  let cacheDir: string | null = null
  if (withCache) {
    const db = openDatabase(path.join(dir, DATABASE_FILE))
    try {
      cacheDir = new SessionStore(db).getSetting<string | null>(CACHE_DIR_SETTING) ?? null
    } finally {
      db.close()
    }
  }
  const tokens = new HubTokenStore(dir)
  return resolveHubConfig(process.env, { token: () => tokens.read(), cacheDir }).config
}

/** A thrown error becomes one line on stderr and exit code 1. */
async function oneLine(body: () => Promise<number>): Promise<number> {
  try {
    return await body()
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`)
    return 1
  }
}

export function formatBytes(b: number): string {
  if (b < 1024) return `${b} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = b / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(1)} ${units[i]}`
}

export function formatEta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--:--'
  const t = Math.round(s)
  const h = Math.floor(t / 3600)
  const mm = String(Math.floor((t % 3600) / 60)).padStart(2, '0')
  const ss = String(t % 60).padStart(2, '0')
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}

export function progressLine(p: DownloadProgress, width = 30): string {
  const frac = p.totalBytes > 0 ? Math.min(1, p.doneBytes / p.totalBytes) : 1
  const filled = Math.round(frac * width)
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled)
  return `[${bar}] ${(frac * 100).toFixed(0).padStart(3)}%  ${formatBytes(p.doneBytes)} / ${formatBytes(p.totalBytes)}  ${formatBytes(p.bytesPerSecond)}/s  ETA ${formatEta(p.etaSeconds)}`
}

const list: CliCommand = {
  summary: 'list registered models and the ones on disk (HF cache, LM Studio, Ollama)',
  usage: '[--json] [--data-dir DIR]',
  run: (argv) =>
    oneLine(async () => {
      const { values } = parseArgs({
        args: argv,
        options: { ...dataDirOption, json: { type: 'boolean' } },
      })
      const { registry, close } = openRegistry(values['data-dir'])
      try {
        const registered = registry.list()
        const known = new Set(registered.map((m) => m.path))
        const rows = [
          ...registered.map((m) => ({
            id: m.id as number | null,
            name: m.name,
            path: m.path,
            source: m.isDefault ? 'shipped' : 'registry',
            runnable: !m.missing,
            reason: m.missing ? 'its folder is gone' : '',
          })),
          ...discoverModels(defaultModelLibraries())
            .filter((d) => !known.has(d.path))
            .map((d) => ({ id: null, ...d })),
        ]
        if (values.json) {
          process.stdout.write(JSON.stringify(rows, null, 2) + '\n')
          return 0
        }
        for (const r of rows) {
          const id = r.id === null ? '-' : String(r.id)
          const state = r.runnable ? 'runs here' : r.reason
          process.stdout.write(
            `${id.padStart(3)}  ${r.source.padEnd(8)}  ${r.name}  (${state})\n     ${r.path}\n`,
          )
        }
        if (rows.length === 0) process.stdout.write('No models.\n')
        return 0
      } finally {
        close()
      }
    }),
}

const add: CliCommand = {
  summary: 'register a Hugging Face model folder where it lies',
  usage: 'PATH [--data-dir DIR]',
  run: (argv) =>
    oneLine(async () => {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: dataDirOption,
      })
      if (!positionals[0]) throw new Error('models add needs a PATH')
      const { registry, close } = openRegistry(values['data-dir'])
      try {
        const m = registry.add(positionals[0])
        process.stdout.write(`added ${m.id}: ${m.name} (${m.path})\n`)
        return 0
      } finally {
        close()
      }
    }),
}

const remove: CliCommand = {
  summary: 'forget a registered model (its files stay)',
  usage: 'ID [--data-dir DIR]',
  run: (argv) =>
    oneLine(async () => {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: dataDirOption,
      })
      const id = Number(positionals[0])
      if (!Number.isInteger(id) || id <= 0) throw new Error('models remove needs a model ID')
      const { registry, close } = openRegistry(values['data-dir'])
      try {
        registry.remove(id)
        process.stdout.write(`removed ${id}\n`)
        return 0
      } finally {
        close()
      }
    }),
}

const search: CliCommand = {
  summary: 'search the Hugging Face hub for text-generation models (HF_ENDPOINT, HF_TOKEN)',
  usage: 'QUERY [--limit N] [--json] [--data-dir DIR]',
  run: (argv) =>
    oneLine(async () => {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { json: { type: 'boolean' }, limit: { type: 'string' }, ...dataDirOption },
      })
      const hits = await searchModels(
        cliHubConfig(values['data-dir'], false),
        positionals.join(' '),
        values.limit ? Number(values.limit) : 20,
      )
      if (values.json) process.stdout.write(JSON.stringify(hits, null, 2) + '\n')
      else {
        for (const h of hits) {
          process.stdout.write(
            `${h.repo}  ${h.downloads} downloads${h.gated ? '  (gated: accept its licence on the hub)' : ''}\n`,
          )
        }
        if (hits.length === 0) process.stdout.write('No model matches.\n')
      }
      return 0
    }),
}

const pull: CliCommand = {
  summary: 'download a model from the hub into the HF cache and register it',
  usage: 'REPO[@REVISION] [--data-dir DIR]   (HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_CACHE)',
  run: (argv) =>
    oneLine(async () => {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: dataDirOption,
      })
      if (!positionals[0]) throw new Error('models pull needs a REPO (org/name[@revision])')
      const { repo, revision } = parseRepoRef(positionals[0])
      const cfg = cliHubConfig(values['data-dir'], true)
      const abort = new AbortController()
      // Ctrl-C pauses: the partial files stay and the next pull resumes them.
      const onSigint = () => abort.abort()
      process.once('SIGINT', onSigint)
      const tty = process.stderr.isTTY
      let lastLine = 0
      try {
        const { plan, snapshotDir } = await pullModel(cfg, repo, {
          revision,
          signal: abort.signal,
          onProgress: (p) => {
            const now = Date.now()
            if (p.state !== 'done' && !tty && now - lastLine < 1000) return
            lastLine = now
            process.stderr.write(tty ? `\r${progressLine(p)}` : `${progressLine(p)}\n`)
          },
        })
        for (const w of plan.warnings) process.stderr.write(`warning: ${w}\n`)
        const { registry, close } = openRegistry(values['data-dir'])
        try {
          const m = registry.add(snapshotDir, { name: repo })
          process.stdout.write(`${repo} is model ${m.id}, in ${snapshotDir}\n`)
        } finally {
          close()
        }
        return 0
      } finally {
        process.off('SIGINT', onSigint)
        if (tty) process.stderr.write('\n')
      }
    }),
}

export const hubCommands: Record<string, CliCommand> = {
  'models list': list,
  'models add': add,
  'models remove': remove,
  'models search': search,
  'models pull': pull,
}
