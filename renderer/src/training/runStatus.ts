import type { MethodOutput } from '../../../main/contract'

type Status = MethodOutput<'training.listRuns'>['runs'][number]['status']

// Each has its words under train status.* in the catalogues.
const STATUSES: readonly Status[] = [
  'preparing',
  'running',
  'paused',
  'stopped',
  'finished',
  'failed',
]

/** Whether a status string from an event is one the contract names. */
export const isStatus = (s: string): s is Status => (STATUSES as readonly string[]).includes(s)
