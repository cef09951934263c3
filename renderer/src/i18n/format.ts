// Numbers, sizes and percentages written the way the interface's language writes them (Intl), so
// no view formats a number by hand.
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'

export function formatNumber(n: number, lng: string, digits?: number): string {
  const opts: Intl.NumberFormatOptions =
    digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits }
  return new Intl.NumberFormat(lng, opts).format(n)
}

/** Decimal (SI) units, as download sizes are usually given; the units read the same in Chinese. */
export function formatBytes(n: number, lng: string): string {
  if (n >= 1e9) return `${formatNumber(n / 1e9, lng, 2)} GB`
  if (n >= 1e6) return `${formatNumber(n / 1e6, lng, 1)} MB`
  return `${formatNumber(n / 1e3, lng, 0)} kB`
}

export function formatPercent(fraction: number, lng: string, digits = 1): string {
  return new Intl.NumberFormat(lng, {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(fraction)
}

/** The formatters bound to the current language; a view re-renders when it changes. */
export function useFormat() {
  const { i18n } = useTranslation()
  const lng = i18n.language
  return useMemo(
    () => ({
      number: (n: number, digits?: number) => formatNumber(n, lng, digits),
      bytes: (n: number) => formatBytes(n, lng),
      percent: (fraction: number, digits?: number) => formatPercent(fraction, lng, digits),
    }),
    [lng],
  )
}
