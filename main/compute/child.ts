// The compute child's entry: a plain Node process (child_process.fork) or an Electron
// utilityProcess. Child-safe: no database, no window, nothing but typed messages.
import { createComputeHandlers } from './methods'
import type { ChildMessage, ComputeMethod, ParentMessage } from './protocol'

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

// utilityProcess children talk over process.parentPort; forked ones over process.send.
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort

function send(message: ChildMessage): void {
  if (parentPort) parentPort.postMessage(message)
  else process.send?.(message)
}

// The launcher names the graph cache (in the data folder) in the child's environment.
const computeHandlers = createComputeHandlers({
  graphCacheDir: process.env.GLASSBOX_GRAPH_CACHE || undefined,
})
const running = new Map<number, AbortController>()

async function handle(message: ParentMessage): Promise<void> {
  if (message.type === 'cancel') {
    running.get(message.id)?.abort()
    return
  }
  const { id, method } = message
  const handler = computeHandlers[method as ComputeMethod] as
    ((input: unknown, ctx: unknown) => unknown) | undefined
  if (!handler) {
    send({
      type: 'response',
      id,
      ok: false,
      error: { code: 'bad_request', message: `unknown compute method ${method}` },
    })
    return
  }
  const controller = new AbortController()
  running.set(id, controller)
  try {
    const value = await handler(message.input, {
      emit: (payload: unknown) => send({ type: 'event', id, payload }),
      signal: controller.signal,
    })
    send({ type: 'response', id, ok: true, value })
  } catch (err) {
    const error = err as { code?: unknown; message?: unknown }
    send({
      type: 'response',
      id,
      ok: false,
      error: {
        code: typeof error?.code === 'string' ? error.code : 'model_error',
        message: typeof error?.message === 'string' ? error.message : String(err),
      },
    })
  } finally {
    running.delete(id)
  }
}

function onMessage(raw: unknown): void {
  if (typeof raw !== 'object' || raw === null || !('type' in raw)) return
  void handle(raw as ParentMessage)
}

if (parentPort) parentPort.on('message', (e) => onMessage(e.data))
else if (process.send) process.on('message', onMessage)
else {
  console.error('The compute child must be started by Glassbox (it has no parent channel).')
  process.exit(2)
}
// A parent that dies takes its forked child with it.
process.on('disconnect', () => process.exit(0))
send({ type: 'ready', pid: process.pid })
