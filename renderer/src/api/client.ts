import type {
  ApiErrorShape,
  ErrorCode,
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
} from '../../../main/contract'

export type CallResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorShape }

/** How calls and events travel: Electron IPC or the browser-mode WebSocket. */
export interface Transport {
  request(method: string, input: unknown): Promise<CallResult>
  subscribe(listener: (event: string, payload: unknown) => void): () => void
}

/** A failed call: `code` is one of the contract's error codes. */
export class ApiCallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly method: string,
  ) {
    super(message)
    this.name = 'ApiCallError'
  }
}

export interface ApiClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void
}

/** The renderer's typed client: the contract's types over any transport. */
export function createApiClient(transport: Transport): ApiClient {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  transport.subscribe((event, payload) => {
    for (const cb of listeners.get(event) ?? []) {
      try {
        cb(payload)
      } catch (err) {
        console.error(`A listener of ${event} failed:`, err)
      }
    }
  })
  return {
    async call(method, input) {
      const result = await transport.request(method, input)
      if (!result.ok) throw new ApiCallError(result.error.code, result.error.message, method)
      return result.value as never
    },
    on(event, cb) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      const listener = cb as (payload: unknown) => void
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
  }
}
