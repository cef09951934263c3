import { useEffect, useRef } from 'react'
import { useThemeInForce } from '../ui/theme'

export interface PlotFrame {
  words: string[]
  /** n × 3, from the compute child's projection. */
  points: Float32Array
}

const WIDTH = 560
const HEIGHT = 400
// Eased toward the newest frame, so the words glide between snapshots instead of jumping.
const EASE = 0.18

/**
 * Labelled points of a slowly turning 3D projection on one canvas. The frame lives in refs
 * and is drawn in an animation loop; React renders this once.
 */
export function VectorPlot({ frame }: { frame: PlotFrame | null }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const target = useRef<PlotFrame | null>(null)
  const shown = useRef<Float32Array | null>(null)
  const theme = useThemeInForce()
  const colours = useRef({ bg: '#0f1115', near: [230, 232, 238], far: [120, 130, 150] })

  // The page's own colours, read again when the theme changes.
  useEffect(() => {
    const light = theme === 'light'
    colours.current = {
      bg: getComputedStyle(document.documentElement).getPropertyValue('--bg').trim() || '#0f1115',
      near: light ? [27, 31, 39] : [230, 232, 238],
      far: light ? [150, 158, 172] : [100, 110, 130],
    }
  }, [theme])

  useEffect(() => {
    target.current = frame
    if (frame && (!shown.current || shown.current.length !== frame.points.length)) {
      shown.current = Float32Array.from(frame.points)
    }
  }, [frame])

  useEffect(() => {
    let raf = 0
    let angle = 0.6
    const draw = () => {
      raf = requestAnimationFrame(draw)
      const ctx = canvas.current?.getContext('2d')
      const goal = target.current
      const now = shown.current
      if (!ctx || !goal || !now) return
      for (let i = 0; i < now.length; i++) now[i] += (goal.points[i] - now[i]) * EASE
      angle += 0.003
      const cos = Math.cos(angle)
      const sin = Math.sin(angle)
      const n = goal.words.length
      // The 95th percentile of |coordinate| fills the box, across (x, z), which the turn
      // mixes, and along y: a few outlying words would otherwise squeeze the rest together.
      const percentile = (values: number[]) => {
        const sorted = values.map(Math.abs).sort((a, b) => a - b)
        return Math.max(1e-6, sorted[Math.floor(sorted.length * 0.95)] ?? 0)
      }
      const across = percentile(
        Array.from({ length: n * 2 }, (_, j) => now[(j >> 1) * 3 + (j & 1) * 2]),
      )
      const along = percentile(Array.from({ length: n }, (_, i) => now[i * 3 + 1]))
      const { bg, near, far } = colours.current
      ctx.fillStyle = bg
      ctx.fillRect(0, 0, WIDTH, HEIGHT)
      ctx.font = '11px system-ui, sans-serif'
      const placed = Array.from({ length: n }, (_, i) => {
        const [x, y, z] = [now[i * 3], now[i * 3 + 1], now[i * 3 + 2]]
        const rx = x * cos + z * sin
        const rz = -x * sin + z * cos
        return { i, sx: rx / across, sy: y / along, depth: Math.max(-1, Math.min(1, rz / across)) }
      }).sort((a, b) => a.depth - b.depth)
      for (const p of placed) {
        const clamp = (v: number) => Math.max(-1.05, Math.min(1.05, v))
        const px = WIDTH / 2 + clamp(p.sx) * (WIDTH / 2 - 60)
        const py = HEIGHT / 2 - clamp(p.sy) * (HEIGHT / 2 - 24)
        // Nearer words are drawn later and in stronger ink.
        const t = (p.depth + 1) / 2
        const [r, g, b] = near.map((c, k) => Math.round(far[k] + (c - far[k]) * t))
        ctx.fillStyle = `rgb(${r}, ${g}, ${b})`
        ctx.beginPath()
        ctx.arc(px, py, 2.5, 0, Math.PI * 2)
        ctx.fill()
        ctx.fillText(goal.words[p.i], px + 4, py - 3)
      }
    }
    raf = requestAnimationFrame(draw)
    return () => cancelAnimationFrame(raf)
  }, [])

  return (
    <canvas
      ref={canvas}
      width={WIDTH}
      height={HEIGHT}
      className="learn-plot"
      data-testid="w2v-plot"
      data-words={frame?.words.length ?? 0}
    />
  )
}
