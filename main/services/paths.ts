import os from 'node:os'
import path from 'node:path'

/** Built ONNX graphs, keyed by the weights' fingerprint: in the data folder, never a model's. */
export function graphCacheDir(dataDir: string): string {
  return path.join(dataDir, 'graph-cache')
}

/**
 * Where Glassbox keeps its data outside Electron (Electron uses app.getPath('userData'),
 * which is the same folder): the platform's per-user data folder.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') {
    return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Glassbox')
  }
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Glassbox')
  const base = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : ''
  return path.join(base || path.join(home, '.local', 'share'), 'glassbox')
}
