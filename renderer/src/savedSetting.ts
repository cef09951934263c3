// Small per-profile settings of the interface (theme, the open chat), kept in this browser
// profile: Electron and browser mode both have localStorage, and a profile that stores
// nothing (private window, full disk) still works for the page it is on.

export function readSetting(key: string): string | null {
  try {
    return window.localStorage.getItem(`glassbox.${key}`)
  } catch {
    return null
  }
}

export function writeSetting(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(`glassbox.${key}`)
    else window.localStorage.setItem(`glassbox.${key}`, value)
  } catch {
    // Nothing to keep it in: the page still uses the value until it closes.
  }
}
