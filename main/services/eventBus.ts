import type { EventName, EventPayload } from '../contract'

export type BusListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void

/**
 * Every event stream of the app passes here; each transport (IPC, WebSocket) forwards every
 * event to every connected client. A listener that throws does not stop the others.
 */
export class EventBus {
  private readonly listeners = new Set<BusListener>()

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event, payload)
      } catch (err) {
        console.error(`A listener of ${event} failed:`, err)
      }
    }
  }

  on(listener: BusListener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  get listenerCount(): number {
    return this.listeners.size
  }
}
