import type { z } from 'zod'
import { ApiError, type ApiErrorShape } from './define'
import { methods, type MethodName, type Methods } from './index'

/** Who is calling: lets a handler tie event streams to the caller's connection. */
export interface CallContext {
  emit: <E extends string>(event: E, payload: unknown) => void
}

type Parsed<M extends MethodName> = z.output<Methods[M]['input']>
type Result<M extends MethodName> = z.input<Methods[M]['output']>

/** A handler for every method: the compiler rejects a contract method without one. */
export type Handlers = {
  [M in MethodName]: (input: Parsed<M>, ctx: CallContext) => Promise<Result<M>> | Result<M>
}

export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorShape }

export type Dispatch = (
  method: string,
  rawInput: unknown,
  ctx: CallContext,
) => Promise<DispatchResult>

function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ')
}

export function createRouter(handlers: Handlers): Dispatch {
  return async (name, rawInput, ctx) => {
    if (!Object.prototype.hasOwnProperty.call(methods, name)) {
      return { ok: false, error: { code: 'bad_request', message: `Unknown method "${name}".` } }
    }
    const key = name as MethodName
    const spec = methods[key]
    const parsed = spec.input.safeParse(rawInput ?? {})
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'bad_request', message: `${name}: ${describeZodError(parsed.error)}` },
      }
    }
    try {
      const handler = handlers[key] as (input: unknown, ctx: CallContext) => unknown
      const value = await handler(parsed.data, ctx)
      // Outputs are checked too, so a service bug shows up as a clear error, not bad UI state.
      const checked = spec.output.safeParse(value)
      if (!checked.success) {
        return {
          ok: false,
          error: {
            code: 'internal',
            message: `${name} returned a bad result: ${describeZodError(checked.error)}`,
          },
        }
      }
      return { ok: true, value: checked.data }
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, error: err.toJSON() }
      const message = err instanceof Error ? err.message : String(err)
      return { ok: false, error: { code: 'internal', message } }
    }
  }
}
