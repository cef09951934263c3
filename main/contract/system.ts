import { z } from 'zod'
import { method } from './define'

export const systemMethods = {
  'system.health': method(
    z.object({}),
    z.object({
      ok: z.boolean(),
      version: z.string(),
      mode: z.enum(['electron', 'browser', 'cli']),
    }),
  ),
}

export const systemEvents = {}
