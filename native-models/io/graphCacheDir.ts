// The per-user graph cache folder, in a module of its own so that code which only needs the
// path (benchmarks, the CLI) does not load the ONNX writer.
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'

/**
 * Where built graphs go when the caller names no folder: the per-user cache folder, never
 * the model's own folder (it may be read-only, or shared with other tools). The app passes
 * <data folder>/graph-cache instead.
 */
export function defaultGraphCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'Glassbox', 'graph-cache')
  }
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'Glassbox', 'graph-cache')
  const xdg = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : ''
  return join(xdg || join(home, '.cache'), 'glassbox', 'graph-cache')
}
