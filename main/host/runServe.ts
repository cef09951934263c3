import path from 'node:path'
import { parseArgs } from 'node:util'
import { ApiError } from '../contract/define'
import { createServices } from '../services'
import { defaultDataDir } from '../services/paths'
import { startHost } from './server'
import { findRendererDir } from './staticFiles'

export const SERVE_USAGE = 'serve [--port N (0: any free port)] [--data-dir DIR]'

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
    },
    strict: true,
  })
  if (values.help) {
    console.log(`usage: glassbox ${SERVE_USAGE}`)
    return 0
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not "${values.port}".`)
    return 2
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

  return new Promise<number>((resolve) => {
    let stopping = false
    const stop = async () => {
      if (stopping) return
      stopping = true
      await host.close()
      services.close()
      resolve(0)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
