import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import { catalogues } from './catalogues'
import { formatBytes, formatNumber, formatPercent } from './format'

async function translator(lng: 'en' | 'zh-CN') {
  const i18n = i18next.createInstance()
  await i18n.init({ resources: catalogues, lng, interpolation: { escapeValue: false } })
  return i18n
}

describe('numbers in the interface language', () => {
  it('formats numbers, sizes and percentages with Intl', () => {
    expect(formatNumber(12345.678, 'en', 1)).toBe('12,345.7')
    expect(formatBytes(269e6, 'en')).toBe('269.0 MB')
    expect(formatBytes(1_234_000_000, 'zh-CN')).toBe('1.23 GB')
    expect(formatPercent(0.1234, 'en')).toBe('12.3%')
    expect(formatPercent(0.5, 'zh-CN', 0)).toBe('50%')
  })

  it('chooses plural forms and formats the numbers i18next interpolates', async () => {
    const en = await translator('en')
    expect(en.t('chat:stats.tokens', { count: 1 })).toBe('1 token')
    expect(en.t('chat:stats.tokens', { count: 1234 })).toBe('1,234 tokens')
    expect(en.t('chat:stats.speed', { value: 12.345 })).toBe('12.3 tok/s')
    expect(en.t('chat:stats.firstToken', { ms: 87.6 })).toBe('first token 88 ms')
    const zh = await translator('zh-CN')
    expect(zh.t('chat:stats.tokens', { count: 1 })).toBe('1 个词元')
    expect(zh.t('chat:stats.tokens', { count: 1234 })).toBe('1,234 个词元')
    expect(zh.t('train:plan', { tokens: 5000, steps: 30, time: '1 分 2 秒' })).toBe(
      '5,000 个词元，30 步，约需 1 分 2 秒',
    )
  })
})
