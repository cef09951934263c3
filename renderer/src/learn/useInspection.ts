import { useEffect, useState } from 'react'
import type { Inspection } from '../../../main/contract/inspect'
import { decodeWeights } from '../inside/attentionMath'
import { api } from '../platform'
import { findHeadPatterns, type HeadPatterns } from './attentionHeads'

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

/**
 * The chapter's own reading of the text it presets (the same call the Inside view makes),
 * for the numbers its explanation quotes.
 */
export function useInspection(text: string): { inspection: Inspection | null; error: string } {
  const [state, setState] = useState<{ text: string; inspection: Inspection | null }>({
    text: '',
    inspection: null,
  })
  const [error, setError] = useState('')
  useEffect(() => {
    let live = true
    api
      .call('inspect.text', { text })
      .then((inspection) => live && setState({ text, inspection }))
      .catch((err: unknown) => live && setError(message(err)))
    return () => {
      live = false
    }
  }, [text])
  return { inspection: state.text === text ? state.inspection : null, error }
}

/** Every layer's attention of an inspection, scored for the two head patterns. */
export function useHeadPatterns(inspection: Inspection | null): HeadPatterns | null {
  const [found, setFound] = useState<{ key: string; patterns: HeadPatterns | null } | null>(null)
  useEffect(() => {
    if (!inspection) return
    let live = true
    const layers = Array.from({ length: inspection.numLayers }, (_, layer) =>
      api
        .call('inspect.attention', { key: inspection.key, layer })
        .then((r) => decodeWeights(r.weights)),
    )
    Promise.all(layers)
      .then((weights) => {
        if (!live) return
        const patterns = findHeadPatterns(weights, inspection.numHeads, inspection.seqLen)
        setFound({ key: inspection.key, patterns })
      })
      .catch(() => live && setFound({ key: inspection.key, patterns: null }))
    return () => {
      live = false
    }
  }, [inspection])
  return inspection && found?.key === inspection.key ? found.patterns : null
}
