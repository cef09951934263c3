import { z } from 'zod'

/** One call the UI can make: its input and output schemas. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I
  output: O
}

export function method<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
): MethodSpec<I, O> {
  return { input, output }
}

/** Errors that cross the boundary: a code the UI can branch on and a sentence a person can read. */
export const ErrorCode = z.enum([
  'bad_request',
  'not_found',
  'conflict',
  /** The call would replace or mix something the person has: repeat it once they confirm. */
  'needs_confirmation',
  'busy',
  'unauthorized',
  'unsupported',
  'model_error',
  'internal',
  'unavailable',
])
export type ErrorCode = z.infer<typeof ErrorCode>

export const ApiErrorShape = z.object({ code: ErrorCode, message: z.string() })
export type ApiErrorShape = z.infer<typeof ApiErrorShape>

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message }
  }
}
