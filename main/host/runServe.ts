import path from 'node:path'
import { parseArgs } from 'node:util'
import { ApiError } from '../contract/define'
import { createServices } from '../services'
import { startApi } from '../services/api'
import { defaultDataDir } from '../services/paths'
import { startHost } from './server'
import { findRendererDir } from './staticFiles'

export const SERVE_USAGE =
  'serve [--port N (0: any free port)] [--data-dir DIR] | serve --api [--api-port N] [--api-key KEY] [--api-cors ORIGIN,...]'

/**
 * Browser mode: opens the services on the data folder, serves the app on 127.0.0.1 and prints
 * exactly one line with its URL. Resolves with an exit code when SIGINT/SIGTERM stop it.
 */
export async function runServe(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      api: { type: 'boolean' },
      'api-port': { type: 'string', default: '0' },
      'api-key': { type: 'string' },
      'api-cors': { type: 'string' },
    },
    strict: true,
  })
  if (values.help) {
    console.log(`usage: glassbox ${SERVE_USAGE}`)
    return 0
  }
  const port = portOf('--port', values.port)
  if (port === null) return 2
  if (values.api) {
    const apiPort = portOf('--api-port', values['api-port'])
    if (apiPort === null) return 2
    const cors = (values['api-cors'] ?? '').split(',').filter(Boolean)
    return runApi(
      values['data-dir'],
      apiPort,
      values['api-key'] ?? process.env.GLASSBOX_API_KEY,
      cors,
    )
  }
  const rendererDir = findRendererDir()
  if (!rendererDir) {
    console.error('The app is not built (out/renderer is missing): run `npm run build` first.')
    return 1
  }
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir())
  let services
  try {
    services = createServices({ dataDir, mode: 'browser' })
  } catch (err) {
    if (err instanceof ApiError && err.code === 'conflict') {
      console.error(err.message)
      return 1
    }
    throw err
  }
  let host
  try {
    host = await startHost({ dispatch: services.dispatch, bus: services.bus, rendererDir, port })
  } catch (err) {
    services.close()
    throw err
  }
  services.announce(host.url)
  console.log(`Glassbox is running at ${host.url}`)

  return untilSignal(async () => {
    await host.close()
    services.close()
  })
}

function portOf(flag: string, value: string): number | null {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${flag} must be a number from 0 to 65535, not "${value}".`)
    return null
  }
  return port
}

/** The OpenAI-compatible API alone (no app): prints one line with its base URL. */
async function runApi(
  dataDirArg: string | undefined,
  port: number,
  apiKey: string | undefined,
  corsOrigins: string[],
): Promise<number> {
  const dataDir = path.resolve(dataDirArg ?? defaultDataDir())
  const services = createServices({ dataDir, mode: 'browser' })
  let api
  try {
    api = await startApi(services, { port, apiKey, corsOrigins })
  } catch (err) {
    services.close()
    throw err
  }
  console.log(`Glassbox API at ${api.baseUrl} (key: ${apiKey ? 'as given' : api.apiKey})`)
  return untilSignal(async () => {
    await api.close()
    services.close()
  })
}

function untilSignal(stop: () => Promise<void>): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false
    const onSignal = async () => {
      if (stopping) return
      stopping = true
      await stop()
      resolve(0)
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  })
}
