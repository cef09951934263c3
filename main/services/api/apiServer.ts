// The OpenAI-compatible HTTP transport: 127.0.0.1 only, a Bearer key on every request, a
// capped body validated with the contract's zod schemas, errors in OpenAI's error object.
// What a request does is the adapter's (openaiAdapter.ts); this file only carries it.
import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { z } from 'zod'
import { ApiError, type ErrorCode } from '../../contract/define'
import {
  ChatCompletionRequest,
  CompletionRequest,
  EmbeddingRequest,
  type OpenAiErrorBody,
} from '../../contract/openai'
import type { ChunkSink, OpenAiAdapter } from './openaiAdapter'

/** Far above any prompt a context holds, far below what would hurt the app. */
export const maxBodyBytes = 4 * 1024 * 1024

export interface ApiServerOptions {
  adapter: OpenAiAdapter
  apiKey: string
  /** 0: any free port. */
  port: number
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins?: string[]
}

export interface ApiServer {
  /** The base URL clients are given: http://127.0.0.1:PORT/v1 */
  baseUrl: string
  port: number
  close(): Promise<void>
}

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  needs_confirmation: 409,
  busy: 429,
  unauthorized: 401,
  unsupported: 400,
  model_error: 500,
  internal: 500,
  unavailable: 503,
}

/** An error with the HTTP status and OpenAI's `param`, for what is not an ApiError. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly type = 'invalid_request_error',
  ) {
    super(message)
  }
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const expected = Buffer.from(`Bearer ${opts.apiKey}`)
  const origins = new Set(opts.corsOrigins ?? [])
  const server = http.createServer((req, res) => {
    const origin = req.headers.origin
    if (origin && origins.has(origin)) {
      res.setHeader('access-control-allow-origin', origin)
      res.setHeader('vary', 'origin')
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': '600',
        })
        res.end()
        return
      }
    }
    handle(opts.adapter, expected, req, res).catch((err: unknown) => sendError(res, err))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function handle(
  adapter: OpenAiAdapter,
  expectedAuth: Buffer,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const given = Buffer.from(req.headers.authorization ?? '')
  if (given.length !== expectedAuth.length || !crypto.timingSafeEqual(given, expectedAuth)) {
    req.resume()
    throw new HttpError(
      401,
      'Missing or wrong API key: send "Authorization: Bearer KEY" with the key Glassbox shows in Settings.',
      null,
      'authentication_error',
    )
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const route = `${req.method} ${url.pathname.replace(/\/$/, '')}`
  if (route === 'GET /v1/models') return sendJson(res, 200, adapter.listModels())
  if (route.startsWith('GET /v1/models/')) {
    const name = decodeURIComponent(url.pathname.slice('/v1/models/'.length))
    const listed = adapter.listModels() as { data: { id: string }[] }
    const model = adapter.resolveModel(name)
    return sendJson(
      res,
      200,
      listed.data.find((m) => m.id === model.name),
    )
  }
  const post: Record<string, (body: unknown) => Promise<void>> = {
    'POST /v1/chat/completions': (raw) => {
      const body = parse(ChatCompletionRequest, raw)
      return respond(res, body.stream === true, (sink, signal) => adapter.chat(body, sink, signal))
    },
    'POST /v1/completions': (raw) => {
      const body = parse(CompletionRequest, raw)
      return respond(res, body.stream === true, (sink, signal) =>
        adapter.completions(body, sink, signal),
      )
    },
    'POST /v1/embeddings': async (raw) =>
      sendJson(res, 200, await adapter.embeddings(parse(EmbeddingRequest, raw))),
  }
  const run = post[route]
  if (!run) {
    req.resume()
    throw new HttpError(404, `No such endpoint: ${req.method} ${url.pathname}.`)
  }
  await run(await readJson(req))
}

/** Runs a generation, streamed as server-sent events or answered whole; a client that goes
 *  away aborts it between two decode steps. */
async function respond(
  res: http.ServerResponse,
  stream: boolean,
  run: (sink: ChunkSink | undefined, signal: AbortSignal) => Promise<object>,
): Promise<void> {
  const abort = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) abort.abort()
  })
  if (!stream) return sendJson(res, 200, await run(undefined, abort.signal))
  let started = false
  const sink: ChunkSink = (chunk) => {
    if (!started) {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      })
      started = true
    }
    res.write(`data: ${JSON.stringify(chunk)}\n\n`)
  }
  try {
    await run(sink, abort.signal)
  } catch (err) {
    // Before the first event the client gets a plain error; after it, an error event.
    if (!started) throw err
    res.write(`data: ${JSON.stringify(errorBody(err).body)}\n\n`)
  }
  if (!started) sink({})
  res.end('data: [DONE]\n\n')
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const param = issue.path.map(String).join('.') || null
  throw new HttpError(400, `${param ?? 'body'}: ${issue.message}`, param)
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    const tooLarge = () =>
      new HttpError(413, `The request body is over ${maxBodyBytes / 1024 / 1024} MB.`)
    if (declared > maxBodyBytes) {
      req.resume()
      return reject(tooLarge())
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) {
        req.removeAllListeners('data')
        req.resume()
        reject(tooLarge())
      } else chunks.push(chunk)
    })
    req.on('end', () => {
      if (size > maxBodyBytes) return
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch {
        reject(new HttpError(400, 'The request body is not valid JSON.'))
      }
    })
    req.on('error', reject)
  })
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

function errorBody(err: unknown): { status: number; body: OpenAiErrorBody } {
  if (err instanceof HttpError) {
    return {
      status: err.status,
      body: { error: { message: err.message, type: err.type, param: err.param, code: null } },
    }
  }
  if (err instanceof ApiError || (err instanceof Error && 'code' in err)) {
    const code = (err as ApiError).code
    const status = statusOf[code] ?? 500
    return {
      status,
      body: {
        error: {
          message: err.message,
          type: status < 500 ? 'invalid_request_error' : 'server_error',
          param: null,
          code,
        },
      },
    }
  }
  const message = err instanceof Error ? err.message : String(err)
  return {
    status: 500,
    body: { error: { message, type: 'server_error', param: null, code: 'internal' } },
  }
}

function sendError(res: http.ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.end()
    return
  }
  const { status, body } = errorBody(err)
  // The body was not read (413, 401): close rather than drain megabytes.
  res.setHeader('connection', 'close')
  sendJson(res, status, body)
}
