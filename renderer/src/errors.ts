import { useSyncExternalStore } from 'react'
import type { ApiErrorShape, ErrorCode } from '../../main/contract/define'
import { ApiCallError } from './api/client'

export interface ShownError {
  id: number
  code: ErrorCode
  /** The back end's detail, shown after the translated sentence for the code. */
  message: string
}

let nextId = 1
let current: ShownError[] = []
const listeners = new Set<(errors: ShownError[]) => void>()

function publish(errors: ShownError[]): void {
  current = errors
  for (const listener of listeners) listener(current)
}

/** A failure's code and detail: an ApiError's own, anything else counts as internal. */
export function apiErrorOf(err: unknown): ApiErrorShape {
  return err instanceof ApiCallError
    ? { code: err.code, message: err.message }
    : { code: 'internal', message: err instanceof Error ? err.message : String(err) }
}

/** Shows a failed call to the person (with its error code), instead of failing silently. */
export function reportError(err: unknown): void {
  const shown: ShownError = { id: nextId++, ...apiErrorOf(err) }
  console.error(err)
  publish([...current.slice(-2), shown])
}

export function dismissError(id: number): void {
  publish(current.filter((e) => e.id !== id))
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange)
  return () => {
    listeners.delete(onChange)
  }
}

export function useErrors(): ShownError[] {
  return useSyncExternalStore(subscribe, () => current)
}
