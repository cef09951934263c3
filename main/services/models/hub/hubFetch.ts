// One fetch for every hub call: the token only to the hub's own origin, the hub's error
// headers turned into typed errors, and retries with backoff on 5xx, 429 and dropped
// connections (huggingface_hub's http_backoff does the same).
import { type Dispatcher, EnvHttpProxyAgent, fetch as undiciFetch } from 'undici'
import { ApiError } from '../../../contract/define'
import type { HubConfig, ProxyEnv } from './hubConfig'

export interface RetryPolicy {
  tries: number
  /** First wait; doubles each try, capped at maxDelayMs. */
  baseDelayMs: number
  maxDelayMs: number
}

export const defaultRetry: RetryPolicy = { tries: 5, baseDelayMs: 500, maxDelayMs: 8000 }

/** A response the hub sent that will not get better by retrying it. */
export function hubError(res: Response, what: string, repo?: string): ApiError {
  const code = res.headers.get('x-error-code')
  if (code === 'GatedRepo' || (res.status === 401 && repo && code !== 'RepoNotFound')) {
    return new ApiError(
      'unauthorized',
      `${repo ?? what} is gated: accept its licence at ${new URL(res.url).origin}/${repo ?? ''} and set HF_TOKEN (or save a token in the Models tab).`,
    )
  }
  if (code === 'RepoNotFound' || (res.status === 404 && !code)) {
    return new ApiError(
      'not_found',
      `${repo ?? what} was not found on the hub (check the spelling; a private repo needs a token).`,
    )
  }
  if (code === 'EntryNotFound' || code === 'RevisionNotFound') {
    return new ApiError(
      'not_found',
      `${what}: ${code === 'EntryNotFound' ? 'no such file' : 'no such revision'}.`,
    )
  }
  if (res.status === 401 || res.status === 403) {
    return new ApiError('unauthorized', `${what}: the hub refused the token (HTTP ${res.status}).`)
  }
  return new ApiError('unavailable', `${what}: the hub answered HTTP ${res.status}.`)
}

export function isRetryable(status: number): boolean {
  return status === 429 || status >= 500
}

/** Seconds from Retry-After (a number or an HTTP date), as ms; undefined when absent. */
export function retryAfterMs(res: Response): number | undefined {
  const v = res.headers.get('retry-after')
  if (!v) return undefined
  const s = Number(v)
  if (Number.isFinite(s)) return Math.max(0, s * 1000)
  const at = Date.parse(v)
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined
}

export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled())
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(t)
      reject(cancelled())
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export function cancelled(): ApiError {
  return new ApiError(
    'conflict',
    'The download was cancelled; what was fetched is kept for resuming.',
  )
}

/** A network failure (refused, DNS, reset), named for a person. */
export function networkError(err: unknown, url: string): ApiError {
  // undici wraps the socket error; with several addresses it is an AggregateError.
  const cause = (err as { cause?: { code?: string; errors?: { code?: string }[] } }).cause
  const code = cause?.code ?? cause?.errors?.[0]?.code ?? (err as { code?: string }).code
  const host = new URL(url).host
  const why =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? `the name ${host} does not resolve (no network, or a wrong HF_ENDPOINT)`
      : code === 'ECONNREFUSED'
        ? `${host} refused the connection`
        : `the connection to ${host} failed (${code ?? (err as Error).message})`
  return new ApiError('unavailable', `Cannot reach the hub: ${why}.`)
}

export function authHeaders(cfg: HubConfig, url: string): Record<string, string> {
  // The token never leaves for another host (the CDN an LFS redirect points to).
  if (!cfg.token || new URL(url).origin !== new URL(cfg.endpoint).origin) return {}
  return { Authorization: `Bearer ${cfg.token}` }
}

const agents = new Map<string, Dispatcher>()

/** One agent per proxy setting, so connections are reused across calls. */
function proxyAgent(proxy: ProxyEnv): Dispatcher {
  const key = JSON.stringify([proxy.httpProxy, proxy.httpsProxy, proxy.noProxy])
  let agent = agents.get(key)
  if (!agent) {
    // Given explicitly (not read from process.env by undici), so the config decides.
    agent = new EnvHttpProxyAgent({
      httpProxy: proxy.httpProxy ?? '',
      httpsProxy: proxy.httpsProxy ?? '',
      noProxy: proxy.noProxy ?? '',
    })
    agents.set(key, agent)
  }
  return agent
}

/**
 * The fetch every hub request goes through. Node's global fetch ignores HTTPS_PROXY and
 * friends; undici's EnvHttpProxyAgent honours them, NO_PROXY included.
 */
export function httpFetch(cfg: HubConfig): typeof fetch {
  if (!cfg.proxy) return fetch
  const dispatcher = proxyAgent(cfg.proxy)
  const f = (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    }) as unknown as Promise<Response>
  return f as typeof fetch
}

/**
 * A fetch for @huggingface/hub's API calls: retries, then turns a hub error into an ApiError
 * before the library sees it (it would drop X-Error-Code).
 */
export function hubFetch(
  cfg: HubConfig,
  repo: string | undefined,
  policy: RetryPolicy = defaultRetry,
  signal?: AbortSignal,
): typeof fetch {
  const send = httpFetch(cfg)
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    for (let attempt = 0; ; attempt++) {
      let res: Response
      try {
        res = await send(input, {
          ...init,
          signal,
          headers: { ...(init?.headers as Record<string, string>), ...authHeaders(cfg, url) },
        })
      } catch (err) {
        if (signal?.aborted) throw cancelled()
        if (attempt + 1 >= policy.tries) throw networkError(err, url)
        await sleep(backoffMs(policy, attempt), signal)
        continue
      }
      if (res.ok) return res
      if (isRetryable(res.status) && attempt + 1 < policy.tries) {
        await sleep(retryAfterMs(res) ?? backoffMs(policy, attempt), signal)
        continue
      }
      throw hubError(res, new URL(url).pathname, repo)
    }
  }
}
