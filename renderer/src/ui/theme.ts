// The colour theme: the OS's (prefers-color-scheme) unless the person picked one, which is
// kept in this profile. <html data-theme> holds the theme in force, so CSS needs one block
// per theme and nothing else has to know whether it was chosen or inherited.
import { useSyncExternalStore } from 'react'
import { readSetting, writeSetting } from '../savedSetting'

export type ThemeChoice = 'system' | 'light' | 'dark'
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark']

const listeners = new Set<() => void>()
const media = window.matchMedia?.('(prefers-color-scheme: light)')

function saved(): ThemeChoice {
  const value = readSetting('theme')
  return value === 'light' || value === 'dark' ? value : 'system'
}

let choice: ThemeChoice = saved()

export function themeInForce(): 'light' | 'dark' {
  if (choice !== 'system') return choice
  return media?.matches ? 'light' : 'dark'
}

function apply(): void {
  document.documentElement.dataset.theme = themeInForce()
  listeners.forEach((l) => l())
}

export function setThemeChoice(next: ThemeChoice): void {
  choice = next
  writeSetting('theme', next === 'system' ? null : next)
  apply()
}

media?.addEventListener('change', apply)
apply()

const subscribe = (onChange: () => void) => {
  listeners.add(onChange)
  return () => listeners.delete(onChange)
}

export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, () => choice)
}

/** The theme in force, for drawings that cannot read CSS (the 3D space's clear colour). */
export function useThemeInForce(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, themeInForce)
}
