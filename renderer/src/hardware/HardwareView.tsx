// The Hardware tab: execution providers of this onnxruntime build, which ones run here (a
// probe graph each), the one in use with the reasons for every fallback, and the CUDA
// provider's on-demand install on Linux.
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { HardwareInfo } from '../../../main/contract/hardware'
import { reportError } from '../errors'
import { api } from '../platform'
import { ProviderRow } from './ProviderRow'
import { SpeedTest } from './SpeedTest'

export function HardwareView() {
  const { t } = useTranslation('hardware')
  const [info, setInfo] = useState<HardwareInfo | null>(null)
  const [probing, setProbing] = useState(false)
  const [log, setLog] = useState<string[]>([])
  const [install, setInstall] = useState<{ done: boolean; ok: boolean | null; why: string | null }>(
    { done: true, ok: null, why: null },
  )

  const probe = useCallback(async () => {
    setProbing(true)
    try {
      setInfo(await api.call('hardware.get', {}))
    } catch (err) {
      reportError(err)
    } finally {
      setProbing(false)
    }
  }, [])

  useEffect(() => {
    api.call('hardware.get', {}).then(setInfo, reportError)
    return api.on('hardware.installProgress', (p) => {
      if (p.line) setLog((l) => [...l.slice(-200), p.line])
      setInstall({ done: p.done, ok: p.ok, why: p.explanation })
      if (p.done && p.ok) void probe()
    })
  }, [probe])

  async function installCuda() {
    setLog([])
    setInstall({ done: false, ok: null, why: null })
    try {
      await api.call('hardware.installCuda', {})
    } catch (err) {
      reportError(err)
      setInstall({ done: true, ok: false, why: null })
    }
  }

  const nvidia = info?.gpus.some((g) => g.vendor === 'NVIDIA') ?? false
  return (
    <section className="hardware-view" data-testid="view-hardware">
      <h1>{t('title')}</h1>
      <button data-testid="hardware-probe" disabled={probing} onClick={() => void probe()}>
        {probing ? t('probing') : t('probe')}
      </button>
      {info && (
        <>
          <p>
            {t('platform', { platform: info.platform })}{' '}
            <strong data-testid="provider-in-use">{info.inUse ?? t('noModel')}</strong>
          </p>
          <table className="providers" data-testid="providers">
            <thead>
              <tr>
                <th>{t('provider')}</th>
                <th>{t('inBuild')}</th>
                <th>{t('works')}</th>
                <th>{t('whyNot')}</th>
              </tr>
            </thead>
            <tbody>
              {info.providers.map((p) => (
                <ProviderRow key={p.name} p={p} nvidia={nvidia} />
              ))}
            </tbody>
          </table>
          <p className="muted" data-testid="gpus">
            {info.gpus.length
              ? t('gpus', { list: info.gpus.map((g) => g.name).join(', ') })
              : t('noGpus')}
          </p>
          <SpeedTest />
          {info.fallbacks.length > 0 && (
            <>
              <h2>{t('fallbacks')}</h2>
              <ul data-testid="fallbacks">
                {info.fallbacks.map((f) => (
                  <li key={f.provider}>
                    {f.provider}: {f.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          {info.cudaInstallable && (
            <div className="cuda-install">
              <p>{t('cudaNote')}</p>
              <button
                data-testid="cuda-install"
                disabled={!install.done}
                onClick={() => void installCuda()}
              >
                {install.done ? t('install') : t('installing')}
              </button>
            </div>
          )}
          {log.length > 0 && (
            <pre className="install-log" data-testid="install-log">
              {log.join('\n')}
            </pre>
          )}
          {install.done && install.ok === false && install.why && (
            <p className="message-error" data-testid="install-explanation" role="alert">
              {install.why}
            </p>
          )}
        </>
      )}
    </section>
  )
}
