// The API wired to the services: the key, the adapter over the chat domain's registry and
// engine, and the HTTP server. Off until `glassbox serve --api` (or the app) starts it.
import crypto from 'node:crypto'
import type { Services } from '..'
import type { SessionStore } from '../store'
import { ApiSessions } from './apiSessions'
import { startApiServer, type ApiServer } from './apiServer'
import { OpenAiAdapter } from './openaiAdapter'

const apiKeySetting = 'api.key'

/**
 * The API key: an override (--api-key, GLASSBOX_API_KEY) when given, else the one in the
 * settings, generated at first use. It is not the browser mode's token: each guards its own door.
 */
export function apiKeyOf(store: SessionStore, override?: string | null): string {
  if (override) return override
  const saved = store.getSetting<string>(apiKeySetting)
  if (typeof saved === 'string' && saved.length > 0) return saved
  return rotateApiKey(store)
}

/** A fresh key; the old one stops working at the server's next start. */
export function rotateApiKey(store: SessionStore): string {
  const key = `gb-${crypto.randomBytes(24).toString('base64url')}`
  store.setSetting(apiKeySetting, key)
  return key
}

/** What the adapter needs of the services (the composition root passes its parts). */
export type ApiServicesDeps = Pick<Services, 'db' | 'store' | 'bus' | 'compute' | 'chatDomain'>

export function createOpenAiAdapter(services: ApiServicesDeps): OpenAiAdapter {
  const { registry, engine } = services.chatDomain
  const sessions = new ApiSessions(services.db, services.store, services.bus)
  return new OpenAiAdapter({
    registry,
    engine,
    embed: (model, texts) => services.compute.request('engine.embed', { model, texts }),
    onChatDone: (record) => {
      // Saving is a view of the request: a failure there must not fail the client's call.
      try {
        sessions.record(record)
      } catch (err) {
        console.error(`Could not save the API conversation: ${String(err)}`)
      }
    },
  })
}

export async function startApi(
  services: ApiServicesDeps,
  opts: { port: number; apiKey?: string | null; corsOrigins?: string[] },
): Promise<ApiServer & { apiKey: string }> {
  const apiKey = apiKeyOf(services.store, opts.apiKey)
  const server = await startApiServer({
    adapter: createOpenAiAdapter(services),
    apiKey,
    port: opts.port,
    corsOrigins: opts.corsOrigins,
  })
  return { ...server, apiKey }
}
