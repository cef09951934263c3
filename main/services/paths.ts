import os from 'node:os'
import path from 'node:path'

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
