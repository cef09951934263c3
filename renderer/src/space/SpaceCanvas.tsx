import { useEffect, useRef } from 'react'
import { PointCloud } from './pointCloud'

interface Props {
  /** Receives the scene once it exists (and null when it goes). */
  onCloud: (cloud: PointCloud | null) => void
  /** Word of a point, for the hover label. */
  wordOf: (index: number) => string | undefined
  onPick: (index: number) => void
  /** Points that carry a permanent label (selection, neighbours, analogy words). */
  labels: number[]
}

/**
 * The canvas and its HTML labels. Hover and labels move DOM nodes directly on each frame:
 * going through React state at pointer speed would re-render the whole view.
 */
export function SpaceCanvas({ onCloud, wordOf, onPick, labels }: Props) {
  const hostRef = useRef<HTMLDivElement>(null)
  const hoverRef = useRef<HTMLDivElement>(null)
  const labelLayerRef = useRef<HTMLDivElement>(null)
  const cloudRef = useRef<PointCloud | null>(null)
  const labelsRef = useRef<number[]>(labels)
  const wordOfRef = useRef(wordOf)
  const onPickRef = useRef(onPick)

  useEffect(() => {
    wordOfRef.current = wordOf
    onPickRef.current = onPick
  }, [wordOf, onPick])

  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const cloud = new PointCloud(host)
    cloud.renderer.domElement.dataset.testid = 'space-canvas'
    cloudRef.current = cloud
    cloud.onFrame = () => placeLabels()
    onCloud(cloud)

    function placeLabels() {
      const layer = labelLayerRef.current
      if (!layer) return
      const wanted = labelsRef.current.filter((i) => i < cloud.pointCount).slice(0, 60)
      while (layer.children.length < wanted.length)
        layer.appendChild(document.createElement('span'))
      while (layer.children.length > wanted.length) layer.lastChild?.remove()
      wanted.forEach((index, k) => {
        const el = layer.children[k] as HTMLSpanElement
        const at = cloud.toScreen(index)
        el.textContent = wordOfRef.current(index) ?? ''
        el.className = k === 0 ? 'space-label space-label-main' : 'space-label'
        el.style.display = at ? '' : 'none'
        if (at) el.style.transform = `translate(${at.x + 6}px, ${at.y - 8}px)`
      })
    }

    // Hover: at most one raycast per animation frame.
    let pending: { x: number; y: number } | null = null
    let down: { x: number; y: number } | null = null
    const onMove = (e: PointerEvent) => {
      if (pending === null) {
        requestAnimationFrame(() => {
          const p = pending
          pending = null
          const hover = hoverRef.current
          if (!p || !hover) return
          const index = cloud.pick(p.x, p.y)
          const word = index === null ? undefined : wordOfRef.current(index)
          hover.style.display = word ? '' : 'none'
          if (word) {
            const rect = host.getBoundingClientRect()
            hover.textContent = word
            hover.style.transform = `translate(${p.x - rect.left + 10}px, ${p.y - rect.top - 22}px)`
          }
        })
      }
      pending = { x: e.clientX, y: e.clientY }
    }
    const onDown = (e: PointerEvent) => (down = { x: e.clientX, y: e.clientY })
    // A click selects; a drag (orbit) does not.
    const onUp = (e: PointerEvent) => {
      if (!down || Math.hypot(e.clientX - down.x, e.clientY - down.y) > 4) return
      const index = cloud.pick(e.clientX, e.clientY)
      if (index !== null) onPickRef.current(index)
    }
    // Arrow keys turn the space: keyboard access, and a deterministic rotation for tests.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault()
        cloud.rotate(e.key === 'ArrowLeft' ? -0.1 : 0.1)
      }
    }
    const canvas = cloud.renderer.domElement
    canvas.tabIndex = 0
    canvas.addEventListener('keydown', onKey)
    canvas.addEventListener('pointermove', onMove)
    canvas.addEventListener('pointerdown', onDown)
    canvas.addEventListener('pointerup', onUp)
    return () => {
      canvas.removeEventListener('keydown', onKey)
      canvas.removeEventListener('pointermove', onMove)
      canvas.removeEventListener('pointerdown', onDown)
      canvas.removeEventListener('pointerup', onUp)
      onCloud(null)
      cloudRef.current = null
      cloud.dispose()
    }
  }, [onCloud])

  useEffect(() => {
    labelsRef.current = labels
    cloudRef.current?.requestRender()
  }, [labels])

  return (
    <div className="space-canvas-host" ref={hostRef}>
      <div className="space-labels" ref={labelLayerRef} />
      <div className="space-hover" ref={hoverRef} style={{ display: 'none' }} />
    </div>
  )
}
