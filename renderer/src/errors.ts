import { useSyncExternalStore } from 'react'
import type { ErrorCode } from '../../main/contract/define'
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

/** Shows a failed call to the person (with its error code), instead of failing silently. */
export function reportError(err: unknown): void {
  const shown: ShownError =
    err instanceof ApiCallError
      ? { id: nextId++, code: err.code, message: err.message }
      : {
          id: nextId++,
          code: 'internal',
          message: err instanceof Error ? err.message : String(err),
        }
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
