import { useEffect, useRef, type ReactNode } from 'react'
import { useThemeInForce } from '../ui/theme'
import { layoutLabels, type LabelRequest } from './labelLayout'
import { PointCloud } from './pointCloud'

interface Props {
  /** Receives the scene once it exists (and null when it goes). */
  onCloud: (cloud: PointCloud | null) => void
  /** Text of a point as shown (hover and labels). */
  wordOf: (index: number) => string | undefined
  onPick: (index: number) => void
  /** Points that carry a permanent label (selection, neighbours, analogy words), by priority. */
  labels: number[]
  /** Names of the custom projection's axes (x, y, z), drawn at the axis ends; else empty. */
  axisNames: string[]
  /** Drawn over the canvas (the colour legend). */
  overlay?: ReactNode
}

const MAX_LABELS = 60
const BACKGROUND = { dark: 0x101418, light: 0xf3f4f7 }

/**
 * The canvas and its HTML labels. Hover and labels move DOM nodes directly on each frame:
 * going through React state at pointer speed would re-render the whole view. Labels are
 * laid out so none covers another (labelLayout.ts); those without room are left out.
 */
export function SpaceCanvas({ onCloud, wordOf, onPick, labels, axisNames, overlay }: Props) {
  const hostRef = useRef<HTMLDivElement>(null)
  const hoverRef = useRef<HTMLDivElement>(null)
  const labelLayerRef = useRef<HTMLDivElement>(null)
  const cloudRef = useRef<PointCloud | null>(null)
  const labelsRef = useRef<number[]>(labels)
  const axisNamesRef = useRef<string[]>(axisNames)
  const wordOfRef = useRef(wordOf)
  const onPickRef = useRef(onPick)
  const theme = useThemeInForce()

  useEffect(() => {
    wordOfRef.current = wordOf
    onPickRef.current = onPick
    cloudRef.current?.requestRender()
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
      const names = axisNamesRef.current
      const wanted = labelsRef.current.filter((i) => i < cloud.pointCount).slice(0, MAX_LABELS)
      const total = names.length + wanted.length
      while (layer.children.length < total) layer.appendChild(document.createElement('span'))
      while (layer.children.length > total) layer.lastChild?.remove()
      const spans = [...layer.children] as HTMLSpanElement[]
      // Writes first, then one read of every size, then the moves: one layout per frame.
      spans.forEach((el, k) => {
        const axis = k < names.length
        const text = axis ? names[k] : (wordOfRef.current(wanted[k - names.length]) ?? '')
        const className = axis
          ? 'space-label space-axis-name'
          : k === names.length
            ? 'space-label space-label-main'
            : 'space-label'
        if (el.textContent !== text) el.textContent = text
        if (el.className !== className) el.className = className
        el.style.display = ''
      })
      const requests: (LabelRequest | null)[] = spans.map((el, k) => {
        const at =
          k < names.length ? cloud.axisEndOnScreen(k) : cloud.toScreen(wanted[k - names.length])
        return at ? { x: at.x, y: at.y, width: el.offsetWidth, height: el.offsetHeight } : null
      })
      const placed = layoutLabels(requests, {
        width: host!.clientWidth,
        height: host!.clientHeight,
      })
      spans.forEach((el, k) => {
        const spot = placed[k]
        el.style.display = spot ? '' : 'none'
        if (spot) el.style.transform = `translate(${spot.left}px, ${spot.top}px)`
      })
    }

    // Hover: at most one raycast per animation frame; gone as soon as the pointer leaves,
    // presses (orbit) or scrolls (zoom), so it never stays on a word that moved away.
    let pending: { x: number; y: number } | null = null
    let down: { x: number; y: number } | null = null
    const hideHover = () => {
      pending = null
      if (hoverRef.current) hoverRef.current.style.display = 'none'
    }
    const onMove = (e: PointerEvent) => {
      if (down) return
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
    const onDown = (e: PointerEvent) => {
      down = { x: e.clientX, y: e.clientY }
      hideHover()
    }
    // A click selects; a drag (orbit) does not.
    const onUp = (e: PointerEvent) => {
      const from = down
      down = null
      if (!from || Math.hypot(e.clientX - from.x, e.clientY - from.y) > 4) return
      const index = cloud.pick(e.clientX, e.clientY)
      if (index !== null) onPickRef.current(index)
    }
    // Arrow keys turn the space: keyboard access, and a deterministic rotation for tests.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault()
        hideHover()
        cloud.rotate(e.key === 'ArrowLeft' ? -0.1 : 0.1)
      }
    }
    const canvas = cloud.renderer.domElement
    canvas.tabIndex = 0
    canvas.addEventListener('keydown', onKey)
    canvas.addEventListener('pointermove', onMove)
    canvas.addEventListener('pointerdown', onDown)
    canvas.addEventListener('pointerup', onUp)
    canvas.addEventListener('pointerleave', hideHover)
    canvas.addEventListener('wheel', hideHover, { passive: true })
    return () => {
      canvas.removeEventListener('keydown', onKey)
      canvas.removeEventListener('pointermove', onMove)
      canvas.removeEventListener('pointerdown', onDown)
      canvas.removeEventListener('pointerup', onUp)
      canvas.removeEventListener('pointerleave', hideHover)
      canvas.removeEventListener('wheel', hideHover)
      onCloud(null)
      cloudRef.current = null
      cloud.dispose()
    }
  }, [onCloud])

  useEffect(() => {
    labelsRef.current = labels
    axisNamesRef.current = axisNames
    cloudRef.current?.requestRender()
  }, [labels, axisNames])

  useEffect(() => {
    cloudRef.current?.setBackground(BACKGROUND[theme])
  }, [theme])

  return (
    <div className="space-canvas-host" ref={hostRef} data-testid="space-canvas-host">
      <div className="space-labels" ref={labelLayerRef} />
      <div className="space-hover" ref={hoverRef} style={{ display: 'none' }} />
      {overlay}
    </div>
  )
}
