import { z } from 'zod'
import { method } from './define'

/** The OpenAI-compatible API as Settings shows it. */
export const ApiServerStatus = z.object({
  enabled: z.boolean(),
  /** The base URL while it runs; null when off (or when it could not start: see error). */
  baseUrl: z.string().nullable(),
  /** 0: any free port. */
  port: z.number().int().min(0).max(65535),
  key: z.string(),
  saveSessions: z.boolean(),
  error: z.string().nullable(),
})
export type ApiServerStatus = z.infer<typeof ApiServerStatus>

export const apiServerMethods = {
  'api.status': method(z.object({}), ApiServerStatus),
  /** Turns the server on or off, moves it to a port, or stops saving its sessions. */
  'api.configure': method(
    z.object({
      enabled: z.boolean().optional(),
      port: z.number().int().min(0).max(65535).optional(),
      saveSessions: z.boolean().optional(),
    }),
    ApiServerStatus,
  ),
  /** A new key; clients with the old one get 401 from now on. */
  'api.rotateKey': method(z.object({}), ApiServerStatus),
}
