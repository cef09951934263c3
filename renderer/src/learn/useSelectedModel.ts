import { useEffect, useState } from 'react'
import type { ModelEntry } from '../../../main/contract/models'
import { reportError } from '../errors'
import { api } from '../platform'

/** The model chosen for chat (the one the chapters' views run), kept current. */
export function useSelectedModel(): { model: ModelEntry | null; loaded: boolean } {
  const [state, setState] = useState<{ model: ModelEntry | null; loaded: boolean }>({
    model: null,
    loaded: false,
  })
  useEffect(() => {
    let live = true
    const load = () =>
      api.call('models.list', {}).then((s) => {
        if (!live) return
        setState({ model: s.models.find((m) => m.id === s.selectedId) ?? null, loaded: true })
      }, reportError)
    void load()
    const off = api.on('models.changed', () => void load())
    return () => {
      live = false
      off()
    }
  }, [])
  return state
}
