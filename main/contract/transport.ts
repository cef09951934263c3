import { z } from 'zod'
import { ApiErrorShape } from './define'

// The frames of the browser-mode WebSocket. Electron IPC carries the same values without the
// frame (the id is implicit in ipcRenderer.invoke).

export const RequestFrame = z.object({
  id: z.union([z.number(), z.string()]),
  method: z.string().min(1),
  input: z.unknown().optional(),
})
export type RequestFrame = z.infer<typeof RequestFrame>

export const ResponseFrame = z.union([
  z.object({
    id: z.union([z.number(), z.string(), z.null()]),
    ok: z.literal(true),
    value: z.unknown(),
  }),
  z.object({
    id: z.union([z.number(), z.string(), z.null()]),
    ok: z.literal(false),
    error: ApiErrorShape,
  }),
])
export type ResponseFrame = z.infer<typeof ResponseFrame>

export const EventFrame = z.object({ event: z.string(), payload: z.unknown() })
export type EventFrame = z.infer<typeof EventFrame>
