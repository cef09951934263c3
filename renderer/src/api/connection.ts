/** The state of the link to the back end, shown by the app frame when it is not 'open'. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized'

type Listener = (state: ConnectionState) => void

export class ConnectionStatus {
  private current: ConnectionState = 'connecting'
  private readonly listeners = new Set<Listener>()

  get state(): ConnectionState {
    return this.current
  }

  set(state: ConnectionState): void {
    if (state === this.current) return
    this.current = state
    for (const listener of this.listeners) listener(state)
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }
}
