// The API tab: the OpenAI-compatible server's switch, port, key (shown, rotated) and
// whether its conversations are saved as sessions, with a curl line to try it.
import { useEffect, useState } from 'react'
import type { ApiServerStatus } from '../../../main/contract/apiServer'
import { reportError } from '../errors'
import { api } from '../platform'

export function ApiServerView() {
  const [status, setStatus] = useState<ApiServerStatus | null>(null)
  const [port, setPort] = useState('')
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    api.call('api.status', {}).then((s) => {
      setStatus(s)
      setPort(String(s.port))
    }, reportError)
  }, [])

  async function change(work: () => Promise<ApiServerStatus>) {
    setBusy(true)
    try {
      const s = await work()
      setStatus(s)
      setPort(String(s.port))
    } catch (err) {
      reportError(err)
    } finally {
      setBusy(false)
    }
  }

  if (!status) return <section className="api-server-view placeholder">Loading…</section>
  const portNumber = Number(port)
  const portValid = Number.isInteger(portNumber) && portNumber >= 0 && portNumber <= 65535
  return (
    <section className="api-server-view placeholder" data-testid="view-api">
      <h1>OpenAI-compatible API</h1>
      <p className="muted">
        Other tools (editors, agents, notebooks, scripts) can use the local model through
        OpenAI&apos;s API on this computer only (127.0.0.1), with the key below.
      </p>
      <p>
        <label>
          <input
            type="checkbox"
            data-testid="api-enabled"
            checked={status.enabled}
            disabled={busy}
            onChange={(e) => {
              const enabled = e.target.checked
              void change(() => api.call('api.configure', { enabled }))
            }}
          />{' '}
          Serve the API
        </label>{' '}
        <label>
          port{' '}
          <input
            data-testid="api-port"
            value={port}
            size={6}
            onChange={(e) => setPort(e.target.value)}
            onBlur={() => {
              if (portValid && portNumber !== status.port)
                void change(() => api.call('api.configure', { port: portNumber }))
            }}
          />
        </label>
      </p>
      {status.error && (
        <p className="message-error" role="alert" data-testid="api-error">
          {status.error}
        </p>
      )}
      <p data-testid="api-url">
        Base URL: {status.baseUrl ? <code>{status.baseUrl}</code> : <span>off</span>}
      </p>
      <p>
        Key: <code data-testid="api-key">{status.key}</code>{' '}
        <button disabled={busy} onClick={() => void change(() => api.call('api.rotateKey', {}))}>
          New key
        </button>
      </p>
      <p>
        <label>
          <input
            type="checkbox"
            checked={status.saveSessions}
            disabled={busy}
            onChange={(e) => {
              const saveSessions = e.target.checked
              void change(() => api.call('api.configure', { saveSessions }))
            }}
          />{' '}
          Save API conversations as sessions (marked &quot;API&quot;), to open them in Chat and
          Inside
        </label>
      </p>
      {status.baseUrl && (
        <pre>{`curl ${status.baseUrl}/chat/completions \\
  -H "Authorization: Bearer ${status.key}" -H "Content-Type: application/json" \\
  -d '{"model": "default", "messages": [{"role": "user", "content": "Hello"}]}'`}</pre>
      )}
    </section>
  )
}
