import { utilityProcess } from 'electron'
import { computeEnv, type ComputeLauncher } from '../compute/launcher'

/** The compute child as an Electron utilityProcess (out/main/compute.js). */
export function utilityProcessLauncher(
  entry: string,
  opts: { graphCacheDir?: string } = {},
): ComputeLauncher {
  return () => {
    const child = utilityProcess.fork(entry, [], {
      env: computeEnv(opts),
      serviceName: 'Glassbox compute',
      stdio: 'inherit',
    })
    return {
      get pid() {
        return child.pid
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      // utilityProcess reports only a code; a crash shows up as a non-zero one.
      onExit: (listener) => child.on('exit', (code) => listener(code, null)),
      kill: () => {
        child.kill()
      },
    }
  }
}
