/**
 * The three.js scene of the word space, outside React: every point lives in ONE
 * BufferGeometry drawn by ONE Points object (as three's webgl_buffergeometry_points does for
 * 500k particles). Float32Arrays are updated in place; React only calls methods here.
 * Rendering happens on demand (camera moved, data changed), not in a constant loop.
 */
import * as THREE from 'three'
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js'

export interface CameraState {
  position: [number, number, number]
  target: [number, number, number]
}

export interface Arrow {
  from: number
  to: number
  color: number
}

const SELECTED = new THREE.Color(0xff3b30)
const NEIGHBOUR = new THREE.Color(0xff9f0a)

export class PointCloud {
  readonly renderer: THREE.WebGLRenderer
  readonly camera: THREE.PerspectiveCamera
  readonly controls: OrbitControls
  private readonly scene = new THREE.Scene()
  private readonly geometry = new THREE.BufferGeometry()
  private readonly points: THREE.Points
  private readonly material: THREE.PointsMaterial
  private readonly highlightGeometry = new THREE.BufferGeometry()
  private readonly highlight: THREE.Points
  private readonly arrows = new THREE.Group()
  private readonly raycaster = new THREE.Raycaster()
  private positions = new Float32Array(0)
  private colors = new Float32Array(0)
  private count = 0
  private visible = 0
  private radius = 1
  private frameRequested = false
  private readonly resizeObserver: ResizeObserver
  /** Called after every rendered frame (labels follow the camera). */
  onFrame: (() => void) | null = null

  constructor(private readonly container: HTMLElement) {
    this.renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true })
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2))
    this.renderer.setClearColor(0x101418)
    container.appendChild(this.renderer.domElement)
    this.camera = new THREE.PerspectiveCamera(50, 1, 0.001, 1000)
    this.camera.position.set(0, 0, 5)
    this.controls = new OrbitControls(this.camera, this.renderer.domElement)
    this.controls.addEventListener('change', () => this.requestRender())
    this.material = new THREE.PointsMaterial({ size: 0.01, vertexColors: true })
    this.points = new THREE.Points(this.geometry, this.material)
    this.highlight = new THREE.Points(
      this.highlightGeometry,
      new THREE.PointsMaterial({ size: 0.05, vertexColors: true, depthTest: false }),
    )
    this.highlight.renderOrder = 1
    this.scene.add(this.points, this.highlight, this.arrows)
    this.resizeObserver = new ResizeObserver(() => this.resize())
    this.resizeObserver.observe(container)
    this.resize()
  }

  private resize(): void {
    const w = Math.max(1, this.container.clientWidth)
    const h = Math.max(1, this.container.clientHeight)
    this.renderer.setSize(w, h)
    this.camera.aspect = w / h
    this.camera.updateProjectionMatrix()
    this.requestRender()
  }

  requestRender(): void {
    if (this.frameRequested) return
    this.frameRequested = true
    requestAnimationFrame(() => {
      this.frameRequested = false
      this.render()
    })
  }

  render(): void {
    this.renderer.render(this.scene, this.camera)
    this.onFrame?.()
  }

  /**
   * New positions (count × 3). The buffers are reused when the count is unchanged (switching
   * projection), so 341k points cost one upload, no new allocation.
   */
  setPositions(positions: Float32Array, count: number, fitCamera: boolean): void {
    if (count !== this.count) {
      this.positions = new Float32Array(count * 3)
      this.colors = new Float32Array(count * 3).fill(0.7)
      this.geometry.setAttribute('position', new THREE.BufferAttribute(this.positions, 3))
      this.geometry.setAttribute('color', new THREE.BufferAttribute(this.colors, 3))
      this.count = count
      this.visible = count
    }
    this.positions.set(positions.subarray(0, count * 3))
    this.geometry.getAttribute('position').needsUpdate = true
    this.geometry.setDrawRange(0, this.visible)
    this.geometry.computeBoundingSphere()
    this.radius = this.geometry.boundingSphere?.radius || 1
    this.material.size = this.radius / 150
    ;(this.highlight.material as THREE.PointsMaterial).size = this.radius / 40
    this.raycaster.params.Points = { threshold: this.radius / 200 }
    if (fitCamera) this.fit()
    this.requestRender()
  }

  fit(): void {
    const centre = this.geometry.boundingSphere?.center ?? new THREE.Vector3()
    this.controls.target.copy(centre)
    this.camera.position.copy(centre).add(new THREE.Vector3(0, 0, this.radius * 2.6))
    this.camera.near = this.radius / 1000
    this.camera.far = this.radius * 100
    this.camera.updateProjectionMatrix()
    this.controls.update()
  }

  /** 2D: look straight down z and allow pan/zoom only. */
  setFlat(flat: boolean): void {
    this.controls.enableRotate = !flat
    if (flat) this.fit()
    this.requestRender()
  }

  /** Colour per point from a function of the index (frequency rank, metadata category). */
  setColors(colorOf: (index: number, out: THREE.Color) => void): void {
    const c = new THREE.Color()
    for (let i = 0; i < this.count; i++) {
      colorOf(i, c)
      this.colors[i * 3] = c.r
      this.colors[i * 3 + 1] = c.g
      this.colors[i * 3 + 2] = c.b
    }
    const attr = this.geometry.getAttribute('color')
    if (attr) attr.needsUpdate = true
    this.requestRender()
  }

  /** Draw only the first n points: the n most frequent words, since points come in rank order. */
  setVisibleCount(n: number): void {
    this.visible = Math.max(0, Math.min(n, this.count))
    this.geometry.setDrawRange(0, this.visible)
    this.requestRender()
  }

  get pointCount(): number {
    return this.count
  }

  position(index: number): THREE.Vector3 {
    return new THREE.Vector3().fromArray(this.positions, index * 3)
  }

  /** The selection (red) and its neighbours (orange) drawn large on top. */
  setHighlights(selected: number[], neighbours: number[]): void {
    const all = [...selected, ...neighbours].filter((i) => i >= 0 && i < this.count)
    const pos = new Float32Array(all.length * 3)
    const col = new Float32Array(all.length * 3)
    all.forEach((index, k) => {
      pos.set(this.positions.subarray(index * 3, index * 3 + 3), k * 3)
      const c = k < selected.length ? SELECTED : NEIGHBOUR
      col.set([c.r, c.g, c.b], k * 3)
    })
    this.highlightGeometry.setAttribute('position', new THREE.BufferAttribute(pos, 3))
    this.highlightGeometry.setAttribute('color', new THREE.BufferAttribute(col, 3))
    this.requestRender()
  }

  setArrows(arrows: Arrow[]): void {
    this.arrows.clear()
    for (const a of arrows) {
      if (a.from >= this.count || a.to >= this.count) continue
      const from = this.position(a.from)
      const dir = this.position(a.to).sub(from)
      const length = dir.length()
      if (length === 0) continue
      this.arrows.add(
        new THREE.ArrowHelper(dir.normalize(), from, length, a.color, length * 0.12, length * 0.06),
      )
    }
    this.requestRender()
  }

  /** Screen position (CSS pixels) of a point, or null when behind the camera. */
  toScreen(index: number): { x: number; y: number } | null {
    const v = this.position(index).project(this.camera)
    if (v.z > 1) return null
    const el = this.renderer.domElement
    return { x: ((v.x + 1) / 2) * el.clientWidth, y: ((1 - v.y) / 2) * el.clientHeight }
  }

  /** The visible point under the pointer (raycast with a threshold scaled to the cloud). */
  pick(clientX: number, clientY: number): number | null {
    const rect = this.renderer.domElement.getBoundingClientRect()
    const ndc = new THREE.Vector2(
      ((clientX - rect.left) / rect.width) * 2 - 1,
      -((clientY - rect.top) / rect.height) * 2 + 1,
    )
    this.raycaster.setFromCamera(ndc, this.camera)
    const hits = this.raycaster.intersectObject(this.points)
    const hit = hits.find((h) => h.index !== undefined && h.index < this.visible)
    return hit?.index ?? null
  }

  getCamera(): CameraState {
    return {
      position: this.camera.position.toArray() as [number, number, number],
      target: this.controls.target.toArray() as [number, number, number],
    }
  }

  setCamera(state: CameraState): void {
    this.camera.position.fromArray(state.position)
    this.controls.target.fromArray(state.target)
    this.controls.update()
    this.requestRender()
  }

  /** Turns the camera about the target by `radians` (tests, benchmark, keyboard). */
  rotate(radians: number): void {
    const offset = this.camera.position.clone().sub(this.controls.target)
    offset.applyAxisAngle(new THREE.Vector3(0, 1, 0), radians)
    this.camera.position.copy(this.controls.target).add(offset)
    this.controls.update()
    this.render()
  }

  dispose(): void {
    this.resizeObserver.disconnect()
    this.controls.dispose()
    this.geometry.dispose()
    this.highlightGeometry.dispose()
    this.material.dispose()
    this.renderer.dispose()
    this.renderer.domElement.remove()
  }
}
