import { useEffect, useState } from 'react'
import type { ScratchSize } from '../../../main/contract/learn'
import { api } from '../platform'

export interface ScratchModelInfo {
  size: ScratchSize
  modelDir: string
  parameterCount: number
}

/** The untrained models the back end keeps for the course, made on first use. */
export function useScratchModels(sizes: readonly ScratchSize[]): {
  models: ScratchModelInfo[] | null
  error: string
} {
  const [models, setModels] = useState<ScratchModelInfo[] | null>(null)
  const [error, setError] = useState('')
  const key = sizes.join()
  useEffect(() => {
    let live = true
    const list = key.split(',') as ScratchSize[]
    // One at a time: each is a small file write, and the order is the order shown.
    ;(async () => {
      const made: ScratchModelInfo[] = []
      for (const size of list)
        made.push({ size, ...(await api.call('learn.scratchModel', { size })) })
      return made
    })()
      .then((made) => live && setModels(made))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)))
    return () => {
      live = false
    }
  }, [key])
  return { models, error }
}
