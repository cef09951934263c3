// The API tab: the OpenAI-compatible server's switch, port, key (shown, rotated) and
// whether its conversations are saved as sessions, with a curl line to try it.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiServerStatus } from '../../../main/contract/apiServer'
import { reportError } from '../errors'
import { api } from '../platform'

export function ApiServerView() {
  const { t } = useTranslation('apiServer')
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

  if (!status) return <section className="api-server-view placeholder">{t('loading')}</section>
  const portNumber = Number(port)
  const portValid = Number.isInteger(portNumber) && portNumber >= 0 && portNumber <= 65535
  return (
    <section className="api-server-view placeholder" data-testid="view-api">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
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
          {t('serve')}
        </label>{' '}
        <label>
          {t('port')}{' '}
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
        {t('baseUrl')} {status.baseUrl ? <code>{status.baseUrl}</code> : <span>{t('off')}</span>}
      </p>
      <p>
        {t('key')} <code data-testid="api-key">{status.key}</code>{' '}
        <button disabled={busy} onClick={() => void change(() => api.call('api.rotateKey', {}))}>
          {t('newKey')}
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
          {t('saveSessions')}
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
