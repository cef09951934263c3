// One execution provider in plain words: whether it works here, what it runs on, and when it
// does not, why, with onnxruntime's own message behind a toggle.
import { useTranslation } from 'react-i18next'
import type { HardwareInfo } from '../../../main/contract/hardware'

type Status = HardwareInfo['providers'][number]

const OTHER_OS = new Set(['dml', 'coreml', 'cuda', 'tensorrt'])

export function ProviderRow({ p, nvidia }: { p: Status; nvidia: boolean }) {
  const { t } = useTranslation('hardware')
  const why = (): string => {
    switch (p.state) {
      case 'works':
        return ''
      case 'not_in_build':
        return OTHER_OS.has(p.name)
          ? t(`state.notInBuild.${p.name}` as 'state.notInBuild.dml')
          : t('state.notInBuildOther')
      case 'not_installed':
        return nvidia ? t('state.notInstalled') : t('state.needsNvidia')
      case 'no_adapter':
        return t('state.noAdapter')
      case 'failed':
        return t('state.failed')
    }
  }
  return (
    <tr data-testid="provider-row" data-provider={p.name} data-state={p.state}>
      <td>{p.name}</td>
      <td>{p.bundled ? t('bundled') : t('notBundled')}</td>
      <td data-testid="provider-works">{p.works === null ? '—' : p.works ? t('yes') : t('no')}</td>
      <td className="muted">
        {p.adapter && (
          <span data-testid="provider-adapter">
            {p.adapter.software
              ? t('adapter.software', { name: p.adapter.name })
              : t('adapter.gpu', { name: p.adapter.name, vendor: p.adapter.vendor })}
          </span>
        )}
        <span data-testid="provider-reason">{why()}</span>
        {p.details && (
          <details className="provider-details">
            <summary>{t('details')}</summary>
            <pre data-testid="provider-details">{p.details}</pre>
          </details>
        )}
      </td>
    </tr>
  )
}
