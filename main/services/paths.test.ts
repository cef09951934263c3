import path from 'node:path'
import { expect, it } from 'vitest'
import { defaultDataDir } from './paths'

it('uses each platform’s per-user data folder', () => {
  expect(defaultDataDir('linux', {}, '/home/ada')).toBe('/home/ada/.local/share/glassbox')
  expect(defaultDataDir('linux', { XDG_DATA_HOME: '/data' }, '/home/ada')).toBe('/data/glassbox')
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  expect(defaultDataDir('linux', { XDG_DATA_HOME: 'rel' }, '/home/ada')).toBe(
    '/home/ada/.local/share/glassbox',
  )
  expect(defaultDataDir('darwin', {}, '/Users/ada')).toBe(
    '/Users/ada/Library/Application Support/Glassbox',
  )
  expect(
    defaultDataDir('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada'),
  ).toBe(path.join('C:\\Users\\ada\\AppData\\Roaming', 'Glassbox'))
})
