import { z } from 'zod'
import { method } from './define'

/** What the first-open card says about the shipped model (issue 19: a smooth way in). */
export const Welcome = z.object({
  /** False once the person dismissed the card; remembered in the data folder. */
  show: z.boolean(),
  defaultModel: z
    .object({
      name: z.string(),
      /** From its config.json, as the Models tab would count them. */
      parameters: z.number().int().nonnegative(),
      /** No chat template: it continues text (completion mode) instead of answering turns. */
      completionOnly: z.boolean(),
    })
    .nullable(),
})
export type Welcome = z.infer<typeof Welcome>

export const systemMethods = {
  'system.health': method(
    z.object({}),
    z.object({
      ok: z.boolean(),
      version: z.string(),
      mode: z.enum(['electron', 'browser', 'cli']),
    }),
  ),
  'system.welcome': method(z.object({}), Welcome),
  'system.dismissWelcome': method(z.object({}), Welcome),
  /** The compute process that runs the models: started on demand, restarted if it dies. */
  'system.computeHealth': method(
    z.object({}),
    z.object({
      ok: z.boolean(),
      pid: z.number().int(),
      uptimeMs: z.number(),
      rssBytes: z.number(),
      node: z.string(),
      /** How many times a compute process was started (more than 1: it crashed and came back). */
      starts: z.number().int(),
    }),
  ),
}

export const ComputeState = z.enum(['starting', 'ready', 'crashed', 'stopped'])

export const systemEvents = {
  /** The compute process started, became ready, died (and is being restarted) or stopped. */
  'system.computeStatus': z.object({
    state: ComputeState,
    pid: z.number().int().nullable(),
    message: z.string().nullable(),
  }),
}
