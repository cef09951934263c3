import { useEffect, type RefObject } from 'react'
import type { SpaceState } from '../../../main/contract/space'
import { api } from '../platform'
import type { PointCloud } from './pointCloud'

/**
 * Saves the view with its chat session a second after it settles. Any change, camera moves
 * and keyboard turns included, restarts the timer; nothing is saved into a session before its
 * own saved state has been read (`loadedFor`), or a slow load would be overwritten.
 */
export function useSpaceSaving(
  sessionId: number | null,
  ready: boolean,
  loadedFor: RefObject<number | null>,
  cloud: PointCloud | null,
  onError: (err: unknown) => void,
  view: Omit<SpaceState, 'camera'>,
): void {
  const { source, projection, selection, colorBy } = view
  useEffect(() => {
    if (sessionId === null || !ready) return
    const save = () => {
      if (loadedFor.current !== sessionId) return
      const state: SpaceState = {
        source,
        projection,
        selection,
        camera: cloud ? cloud.getCamera() : null,
        colorBy,
      }
      api.call('space.saveState', { sessionId, state }).catch(onError)
    }
    let timer = setTimeout(save, 1000)
    const onCamera = () => {
      clearTimeout(timer)
      timer = setTimeout(save, 1000)
    }
    cloud?.controls.addEventListener('change', onCamera)
    return () => {
      clearTimeout(timer)
      cloud?.controls.removeEventListener('change', onCamera)
    }
  }, [sessionId, ready, loadedFor, source, projection, selection, colorBy, cloud, onError])
}
