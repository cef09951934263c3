/**
 * The three.js scene of the word space, outside React: every point lives in ONE
 * BufferGeometry drawn by ONE Points object (as three's webgl_buffergeometry_points does for
 * 500k particles). Float32Arrays are updated in place; React only calls methods here.
 * Rendering happens on demand (camera moved, data changed), not in a constant loop.
 */
import * as THREE from 'three'
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js'
import { fitDistance, frameOfPoints, type Frame } from './framing'

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
  private frame: Frame = { center: [0, 0, 0], radius: 1 }
  private readonly axes = new THREE.Group()
  private axisEnds: THREE.Vector3[] = []
  private flight = 0
  /** Whether the camera is where fit() put it; a resize then keeps the whole cloud in view. */
  private atFrame = false
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
    this.controls.addEventListener('start', () => {
      this.atFrame = false
      cancelAnimationFrame(this.flight)
    })
    this.material = new THREE.PointsMaterial({ size: 0.01, vertexColors: true })
    this.points = new THREE.Points(this.geometry, this.material)
    this.highlight = new THREE.Points(
      this.highlightGeometry,
      new THREE.PointsMaterial({ size: 0.05, vertexColors: true, depthTest: false }),
    )
    this.highlight.renderOrder = 1
    this.scene.add(this.points, this.highlight, this.arrows, this.axes)
    this.resizeObserver = new ResizeObserver(() => this.resize())
    this.resizeObserver.observe(container)
    this.resize()
  }

  private resize(): void {
    const w = Math.max(1, this.container.clientWidth)
    const h = Math.max(1, this.container.clientHeight)
    this.renderer.setSize(w, h)
    const before = this.camera.aspect
    this.camera.aspect = w / h
    this.camera.updateProjectionMatrix()
    // Still at the framed view (not moved by the person): re-fit for the new shape.
    if (this.atFrame && before !== this.camera.aspect) this.fit()
    this.requestRender()
  }

  setBackground(color: number): void {
    this.renderer.setClearColor(color)
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
    this.frame = frameOfPoints(this.positions, count)
    this.radius = this.frame.radius
    this.material.size = this.radius / 150
    ;(this.highlight.material as THREE.PointsMaterial).size = this.radius / 40
    this.raycaster.params.Points = { threshold: this.radius / 200 }
    if (fitCamera) this.fit()
    this.requestRender()
  }

  /** Looks at the bulk of the points, all of it in view whatever the window's shape. */
  fit(): void {
    cancelAnimationFrame(this.flight)
    const centre = new THREE.Vector3(...this.frame.center)
    const distance = fitDistance(this.radius, this.camera.fov, this.camera.aspect)
    this.controls.target.copy(centre)
    this.camera.position.copy(centre).add(new THREE.Vector3(0, 0, distance))
    this.camera.near = this.radius / 1000
    this.camera.far = Math.max(this.radius * 100, distance * 10)
    this.camera.updateProjectionMatrix()
    this.controls.update()
    this.atFrame = true
  }

  /**
   * Glides the camera to a point (a searched word): the target moves onto it and the camera
   * closes in along its current direction, so the word and its neighbourhood fill the view.
   */
  flyTo(index: number, durationMs = 600): void {
    if (index < 0 || index >= this.count) return
    cancelAnimationFrame(this.flight)
    this.atFrame = false
    const fromTarget = this.controls.target.clone()
    const fromPosition = this.camera.position.clone()
    const toTarget = this.position(index)
    const direction = fromPosition.clone().sub(fromTarget).normalize()
    const distance = fitDistance(this.radius * 0.25, this.camera.fov, this.camera.aspect)
    const toPosition = toTarget.clone().add(direction.multiplyScalar(distance))
    const start = performance.now()
    const step = () => {
      const t = Math.min(1, (performance.now() - start) / durationMs)
      const eased = t * t * (3 - 2 * t)
      this.controls.target.lerpVectors(fromTarget, toTarget, eased)
      this.camera.position.lerpVectors(fromPosition, toPosition, eased)
      this.controls.update()
      this.render()
      if (t < 1) this.flight = requestAnimationFrame(step)
    }
    this.flight = requestAnimationFrame(step)
  }

  /**
   * Axis lines of a custom projection, through the frame's centre along x, y (and z), each
   * as long as the cloud is wide; their names are HTML labels placed at axisEnd(i).
   */
  setAxes(count: number): void {
    for (const line of this.axes.children as THREE.Line[]) {
      line.geometry.dispose()
      ;(line.material as THREE.Material).dispose()
    }
    this.axes.clear()
    this.axisEnds = []
    const centre = new THREE.Vector3(...this.frame.center)
    const colours = [0xff6b6b, 0x30d158, 0x64d2ff]
    for (let i = 0; i < count; i++) {
      const unit = new THREE.Vector3().setComponent(i, this.radius * 1.1)
      const from = centre.clone().sub(unit)
      const to = centre.clone().add(unit)
      const geometry = new THREE.BufferGeometry().setFromPoints([from, to])
      this.axes.add(new THREE.Line(geometry, new THREE.LineBasicMaterial({ color: colours[i] })))
      this.axisEnds.push(to)
    }
    this.requestRender()
  }

  /** Screen position of axis i's positive end (its name goes there), or null. */
  axisEndOnScreen(i: number): { x: number; y: number } | null {
    const end = this.axisEnds[i]
    return end ? this.project(end.clone()) : null
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
    return this.project(this.position(index))
  }

  private project(world: THREE.Vector3): { x: number; y: number } | null {
    const v = world.project(this.camera)
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
    cancelAnimationFrame(this.flight)
    this.atFrame = false
    this.camera.position.fromArray(state.position)
    this.controls.target.fromArray(state.target)
    this.controls.update()
    this.requestRender()
  }

  /** Turns the camera about the target by `radians` (tests, benchmark, keyboard). */
  rotate(radians: number): void {
    this.atFrame = false
    const offset = this.camera.position.clone().sub(this.controls.target)
    offset.applyAxisAngle(new THREE.Vector3(0, 1, 0), radians)
    this.camera.position.copy(this.controls.target).add(offset)
    this.controls.update()
    this.render()
  }

  dispose(): void {
    cancelAnimationFrame(this.flight)
    this.resizeObserver.disconnect()
    this.controls.dispose()
    this.geometry.dispose()
    this.highlightGeometry.dispose()
    this.material.dispose()
    this.renderer.dispose()
    this.renderer.domElement.remove()
  }
}
